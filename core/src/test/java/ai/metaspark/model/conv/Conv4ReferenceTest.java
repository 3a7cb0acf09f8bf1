package ai.metaspark.model.conv;

import ai.metaspark.model.conv.Conv4Spec.Variant;
import ai.metaspark.task.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float64 oracle checks itself: the hand-written backward pass of {@link Conv4Reference} against a central finite
 * difference of its loss in every coordinate, and the symmetry of the Hessian-vector products of
 * {@link Conv4ReferenceLearner}. Small shapes keep every-coordinate differences cheap.
 */
class Conv4ReferenceTest {
    static final int CLASSES = 5;
    static final int N = 5;
    /** Central-difference step per coordinate. */
    static final double H = 1e-6;
    /** Relative error ||g - g_fd|| / ||g_fd|| allowed for the gradient. */
    static final double GRAD_TOL = 1e-6;
    /** Relative disagreement of u.Hv and v.Hu allowed. */
    static final double SYM_TOL = 1e-5;

    static Conv4Spec spec(Variant v) {
        return Conv4Fixtures.small(v);
    }

    static double[] params(Conv4Spec spec, long seed) {
        return Conv4Fixtures.params(spec, CLASSES, seed);
    }

    static double[] gaussian(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextGaussian();
        return a;
    }

    static int[] labels(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) labels[i] = rng.nextInt(CLASSES);
        return labels;
    }

    static Batch batch(Conv4Spec spec, double[] x, int[] labels) {
        double[] y = new double[N * CLASSES];
        for (int i = 0; i < N; i++) y[i * CLASSES + labels[i]] = 1;
        return new Batch(N, spec.inputSize(), CLASSES, x, y);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void gradientMatchesCentralDifferencesInEveryCoordinate(Variant v) {
        Conv4Spec spec = spec(v);
        double[] p = params(spec, 21);
        double[] x = gaussian(N * spec.inputSize(), 22);
        int[] labels = labels(23);
        Conv4Reference ref = new Conv4Reference(spec);
        double[] g = new double[p.length];
        double loss = ref.gradient(p, x, N, labels, CLASSES, g);
        assertEquals(ref.loss(p, x, N, labels, CLASSES), loss, 1e-12, "gradient() returns the loss");

        double[] fd = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            double pk = p[k];
            p[k] = pk + H;
            double plus = ref.loss(p, x, N, labels, CLASSES);
            p[k] = pk - H;
            double minus = ref.loss(p, x, N, labels, CLASSES);
            p[k] = pk;
            fd[k] = (plus - minus) / (2 * H);
        }
        double err = norm(diff(g, fd)) / norm(fd);
        System.out.printf("%s: %d params, loss %.6f, |g| %.4e, |g - g_fd| / |g_fd| = %.3e%n", v, p.length, loss, norm(g), err);
        assertTrue(norm(fd) > 1e-2, v + ": gradient norm " + norm(fd) + " is too small for the check to mean anything");
        for (int b = 0; b < spec.blocks(); b++) {
            double blockNorm = norm(slice(g, spec.weightOffset(b), spec.betaOffset(b) + spec.filters()));
            assertTrue(blockNorm > 1e-4, v + " block " + b + ": gradient norm " + blockNorm + " is near zero");
        }
        assertTrue(err < GRAD_TOL, v + ": relative gradient error " + err);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void hessianVectorProductsAreSymmetric(Variant v) {
        Conv4Spec spec = spec(v);
        Conv4ReferenceLearner learner = new Conv4ReferenceLearner(spec, CLASSES);
        double[] p = params(spec, 31);
        Batch data = batch(spec, gaussian(N * spec.inputSize(), 32), labels(33));
        double[] u = gaussian(p.length, 34), w = gaussian(p.length, 35);
        double[] hu = new double[p.length], hw = new double[p.length];
        learner.hessianVector(p, data, w, hw);
        learner.hessianVector(p, data, u, hu);
        double uHw = dot(u, hw), wHu = dot(w, hu);
        double err = Math.abs(uHw - wHu) / Math.max(Math.abs(uHw), Math.abs(wHu));
        System.out.printf("%s: u.Hv = %.10e, v.Hu = %.10e, relative difference %.3e%n", v, uHw, wHu, err);
        assertTrue(Math.abs(uHw) > 1e-3, v + ": u.Hv = " + uHw + " is too small for the check to mean anything");
        assertTrue(err < SYM_TOL, v + ": u.Hv = " + uHw + " vs v.Hu = " + wHu + " (relative " + err + ")");
    }

    @Test
    void learnerAgreesWithTheReference() {
        Conv4Spec spec = spec(Variant.POOL);
        Conv4ReferenceLearner learner = new Conv4ReferenceLearner(spec, CLASSES);
        double[] p = params(spec, 41);
        double[] x = gaussian(N * spec.inputSize(), 42);
        int[] labels = labels(43);
        Batch data = batch(spec, x, labels);
        assertTrue(learner.isClassifier());
        assertArrayEquals(labels, learner.labels(data));
        double[] e = new Conv4Reference(spec).embed(p, x, N, null);
        double expected = Conv4Reference.crossEntropy(e, p, spec.numParams(), spec.embeddingSize(), CLASSES, labels);
        assertEquals(expected, learner.loss(p, data), 1e-12);
        double[] z = learner.predict(p, data);
        assertEquals(N * CLASSES, z.length);
        assertEquals(expected, meanCrossEntropy(z, labels), 1e-12, "predict returns the logits of the loss");
        double[] g = new double[p.length];
        assertEquals(expected, learner.gradient(p, data, g), 1e-12);
        double[] hv = gaussian(p.length, 44);
        learner.hessianVector(p, data, new double[p.length], hv);
        assertArrayEquals(new double[p.length], hv, "H 0 = 0");
    }

    private static double meanCrossEntropy(double[] z, int[] labels) {
        double loss = 0;
        for (int i = 0; i < labels.length; i++) {
            double sum = 0;
            for (int j = 0; j < CLASSES; j++) sum += Math.exp(z[i * CLASSES + j]);
            loss += Math.log(sum) - z[i * CLASSES + labels[i]];
        }
        return loss / labels.length;
    }

    private static double[] diff(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    private static double[] slice(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
