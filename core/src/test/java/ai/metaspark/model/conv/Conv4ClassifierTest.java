package ai.metaspark.model.conv;

import ai.metaspark.model.conv.Conv4Spec.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static ai.metaspark.model.conv.Conv4NetTest.H;
import static ai.metaspark.model.conv.Conv4NetTest.TOL;
import static ai.metaspark.model.conv.Conv4NetTest.axpy;
import static ai.metaspark.model.conv.Conv4NetTest.direction;
import static ai.metaspark.model.conv.Conv4NetTest.dot;
import static ai.metaspark.model.conv.Conv4NetTest.norm;
import static ai.metaspark.model.conv.Conv4NetTest.random;
import static ai.metaspark.model.conv.Conv4NetTest.relErr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conv-4 + linear head + softmax cross-entropy against the double reference, and a few SGD steps that learn. */
class Conv4ClassifierTest {
    private static final int CLASSES = 5;

    private static double[] params(Conv4Classifier c, long seed) {
        double[] p = c.initialParams(seed);
        double[] conv = Conv4NetTest.randomParams(c.spec(), seed);
        System.arraycopy(conv, 0, p, 0, conv.length);
        return p;
    }

    private static double referenceLoss(Conv4Classifier c, double[] p, double[] x, int[] labels) {
        double[] e = new Conv4Reference(c.spec()).embed(p, x, labels.length, null);
        return Conv4Reference.crossEntropy(e, p, c.headOffset(), c.spec().embeddingSize(), c.classes(), labels);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void lossAndGradientMatchTheReference(Variant v) {
        int n = 10;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % CLASSES;
        double[] x = random(n * 784, 21);
        try (Conv4Classifier c = new Conv4Classifier(new Conv4Spec(28, 1, 8, 4, v), CLASSES)) {
            double[] p = params(c, 22);
            double[] g = new double[c.numParams()];
            double loss = c.gradient(p, x, labels, g);
            assertEquals(referenceLoss(c, p, x, labels), loss, 1e-5 * loss);
            assertEquals(loss, c.loss(p, x, labels), 1e-12);
            for (int k = 0; k < 3; k++) {
                double[] u = direction(p.length, 300 + k);
                double fd = (referenceLoss(c, axpy(p, H, u), x, labels) - referenceLoss(c, axpy(p, -H, u), x, labels)) / (2 * H);
                double err = relErr(dot(g, u), fd, norm(g));
                assertTrue(err < TOL, v + " direction " + k + ": analytic " + dot(g, u) + " vs FD " + fd + " (rel " + err + ")");
            }
            double[] headOnly = new double[p.length];      // the head alone, exactly (no f32 in the head)
            double[] dir = direction(p.length - c.headOffset(), 310);
            System.arraycopy(dir, 0, headOnly, c.headOffset(), dir.length);
            double fd = (referenceLoss(c, axpy(p, H, headOnly), x, labels) - referenceLoss(c, axpy(p, -H, headOnly), x, labels)) / (2 * H);
            assertTrue(relErr(dot(g, headOnly), fd, norm(g)) < TOL, "head: " + dot(g, headOnly) + " vs FD " + fd);
        }
    }

    @Test
    void embeddingPathAndLayout() {
        Conv4Spec spec = new Conv4Spec(28, 1, 8, 4, Variant.POOL);
        try (Conv4Classifier c = new Conv4Classifier(spec, CLASSES)) {
            assertEquals(spec.numParams() + 8 * CLASSES + CLASSES, c.numParams());
            double[] p = params(c, 23);
            double[] x = random(4 * 784, 24);
            double[] eFull = c.embed(p, x, 4);
            double[] eConv = c.embed(Arrays.copyOf(p, spec.numParams()), x, 4);
            assertArrayEquals(eConv, eFull);
            double[] logits = c.predict(p, x, 4);
            assertEquals(4 * CLASSES, logits.length);
            double bias = p[c.headOffset() + 8 * CLASSES + 2];
            double z = bias;
            for (int k = 0; k < 8; k++) z += eFull[8 + k] * p[c.headOffset() + k * CLASSES + 2];  // image 1, class 2
            assertEquals(z, logits[CLASSES + 2], 1e-12);
            double[] grad = new double[c.numParams()];
            Arrays.fill(grad, 7.0);
            c.embed(p, x, 4);
            c.embedBackward(random(eFull.length, 25), grad);
            assertEquals(7.0, grad[c.headOffset()]);                 // the head part is left alone
            assertTrue(norm(Arrays.copyOf(grad, spec.numParams())) > 0);
            assertThrows(IllegalArgumentException.class, () -> c.loss(p, x, new int[]{0, 1, 2, CLASSES}));
        }
    }

    /** Two classes (bright left half vs bright right half, plus noise): plain SGD must drive the loss down. */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void sgdLearnsASeparableProblem(Variant v) {
        int n = 8;
        SplittableRandom rng = new SplittableRandom(26);
        double[] x = new double[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int r = 0; r < 28; r++) {
                for (int q = 0; q < 28; q++) {
                    boolean bright = (q < 14) == (labels[i] == 0);
                    x[i * 784 + r * 28 + q] = (bright ? 1.0 : 0.0) + 0.3 * rng.nextDouble();
                }
            }
        }
        try (Conv4Classifier c = new Conv4Classifier(new Conv4Spec(28, 1, 8, 4, v), 2)) {
            double[] p = c.initialParams(27);
            double[] g = new double[p.length];
            double first = c.gradient(p, x, labels, g);
            double last = first;
            for (int step = 0; step < 20; step++) {
                for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                last = c.gradient(p, x, labels, g);
            }
            assertTrue(last < 0.3 * first, v + ": loss went from " + first + " to " + last);
        }
    }

    /**
     * MAML's pattern with 5 inner steps: gradients on one support set at p_0..p_4, one on a query set, then products at
     * p_4..p_0. The kept passes (two slots and the history) must give each product the bits of a fresh classifier's
     * product at that p_j, computed from scratch, without a pass of their own; with one step more than the history
     * holds, the oldest pass is recomputed, once, and still agrees.
     */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void productsAtEarlierInnerStepsUseTheirOwnPasses(Variant v) {
        int[] labels = {0, 1, 2, 3, 4};
        double[] support = random(labels.length * 784, 41);
        double[] query = random(labels.length * 784, 42);
        for (int steps = Conv4Classifier.HISTORY + 1; steps <= Conv4Classifier.HISTORY + 2; steps++) {
            innerStepsThenProducts(v, steps, support, query, labels);
        }
    }

    /**
     * MAML's order over a slice of tasks (support gradient at theta, query gradient at the adapted parameters, product
     * at theta): every support pass finds theta loaded, so theta is loaded once and each task's adapted parameters once;
     * the products reuse the support passes, and the results have the bits of a fresh classifier's.
     */
    @Test
    void supportPassesAtThetaReloadNoWeights() {
        Conv4Spec spec = new Conv4Spec(28, 1, 8, 4, Variant.STRIDED);
        int[] labels = {0, 1, 2, 3, 4};
        int tasks = 4;
        try (Conv4Classifier c = new Conv4Classifier(spec, CLASSES); Conv4Classifier fresh = new Conv4Classifier(spec, CLASSES)) {
            double[] theta = params(c, 45);
            for (int t = 0; t < tasks; t++) {
                double[] support = random(labels.length * 784, 50 + t);
                double[] query = random(labels.length * 784, 60 + t);
                double[] g = new double[c.numParams()];
                c.gradient(theta, support, labels, g);
                double[] adapted = axpy(theta, -0.4, g);
                c.gradient(adapted, query, labels, g);
                double[] hv = new double[c.numParams()];
                c.hessianVector(theta, support, labels, g, hv);
                double[] expected = new double[c.numParams()];
                fresh.hessianVector(theta, support.clone(), labels, g, expected);
                assertArrayEquals(expected, hv, "task " + t);
            }
            assertEquals(2 * tasks, c.passes(), "a product at theta reuses the support pass");
            assertEquals(1 + tasks, c.weightLoads(), "theta once, each adapted vector once");
        }
    }

    private static void innerStepsThenProducts(Variant v, int steps, double[] support, double[] query, int[] labels) {
        Conv4Spec spec = new Conv4Spec(28, 1, 8, 4, v);
        try (Conv4Classifier c = new Conv4Classifier(spec, CLASSES); Conv4Classifier fresh = new Conv4Classifier(spec, CLASSES)) {
            double[][] p = new double[steps + 1][];
            p[0] = params(c, 43);
            double[] g = new double[c.numParams()];
            for (int j = 0; j < steps; j++) {
                c.gradient(p[j], support, labels, g);
                p[j + 1] = axpy(p[j], -0.4, g);
            }
            c.gradient(p[steps], query, labels, g);
            long passes = c.passes();
            double[] dir = direction(c.numParams(), 44);
            for (int j = steps - 1; j >= 0; j--) {
                double[] kept = new double[c.numParams()];
                c.hessianVector(p[j], support, labels, dir, kept);
                double[] expected = new double[c.numParams()];
                fresh.hessianVector(p[j], support.clone(), labels, dir, expected);   // a new image set: computes its pass
                assertArrayEquals(expected, kept, v + " inner step " + j + " of " + steps);
            }
            assertEquals(steps - Conv4Classifier.HISTORY - 1, c.passes() - passes, steps + " steps: passes recomputed");
        }
    }
}
