package ai.metaspark.model.conv;

import ai.metaspark.model.conv.Conv4Spec.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oneDNN Conv-4 against a plain double-precision reference ({@link Conv4Reference}) and its central finite
 * differences. Gradients are compared along random directions (directional derivatives), so every parameter takes
 * part; the tolerance allows for the f32 network.
 */
class Conv4NetTest {
    /**
     * Central-difference step along a unit direction. Larger steps (1e-3, 1e-4) cross ReLU and max-pool kinks of
     * some of the tens of thousands of units and show errors of 0.1-2 %; at 1e-5 and below the directional
     * derivatives agree to ~1e-6 relative (the f32 network's precision).
     */
    static final double H = 1e-6;
    /** Relative tolerance of a directional derivative: 100x the ~1e-6 observed. */
    static final double TOL = 1e-4;

    /** A slice of the real network: 16 filters instead of 64, same shapes otherwise, so the reference stays fast. */
    static Conv4Spec small(Variant v) {
        return new Conv4Spec(28, 1, 16, 4, v);
    }

    static double[] randomParams(Conv4Spec spec, long seed) {
        double[] p = spec.initialParams(seed);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        for (int b = 0; b < spec.blocks(); b++) {   // not the trivial gamma = 1, beta = 0
            for (int c = 0; c < spec.filters(); c++) {
                p[spec.gammaOffset(b) + c] = 0.8 + 0.4 * rng.nextDouble();
                p[spec.betaOffset(b) + c] = 0.2 * rng.nextDouble() - 0.1;
            }
        }
        return p;
    }

    static double[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextDouble();
        return a;
    }

    static double[] direction(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] u = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            u[i] = rng.nextDouble() * 2 - 1;
            norm += u[i] * u[i];
        }
        for (int i = 0; i < n; i++) u[i] /= Math.sqrt(norm);
        return u;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double[] axpy(double[] x, double h, double[] u) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) y[i] += h * u[i];
        return y;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** Relative error of a directional derivative, against the gradient's own scale to avoid dividing by ~0. */
    static double relErr(double analytic, double fd, double scale) {
        return Math.abs(analytic - fd) / Math.max(Math.abs(fd), 1e-2 * scale);
    }

    @Test
    void shapesOfBothVariants() {
        Conv4Spec pool = Conv4Spec.omniglot(Variant.POOL);
        Conv4Spec strided = Conv4Spec.omniglot(Variant.STRIDED);
        int[] poolSizes = new int[5];
        int[] stridedSizes = new int[5];
        for (int b = 0; b <= 4; b++) {
            poolSizes[b] = pool.spatialIn(b);
            stridedSizes[b] = strided.spatialIn(b);
        }
        assertArrayEquals(new int[]{28, 14, 7, 3, 1}, poolSizes);
        assertArrayEquals(new int[]{28, 14, 7, 4, 2}, stridedSizes);
        // TensorFlow "SAME" for stride 2: the odd padding goes after (28 -> 14: 0 + 1; 7 -> 4: 1 + 1)
        assertEquals(0, strided.padBefore(0));
        assertEquals(1, strided.padAfter(0));
        assertEquals(1, strided.padBefore(2));
        assertEquals(1, strided.padAfter(2));
        assertEquals(64, pool.embeddingSize());
        assertEquals(64, strided.embeddingSize());
        int expected = (64 * 9 + 128) + 3 * (64 * 64 * 9 + 128);
        assertEquals(expected, pool.numParams());
        assertEquals(expected, strided.numParams());
        assertEquals(57_987_072L, pool.trainFlopsPerImage());
        try (Conv4Net p = new Conv4Net(pool); Conv4Net s = new Conv4Net(strided)) {
            double[] x = random(3 * 784, 1);
            assertEquals(3 * 64, p.forward(pool.initialParams(1), x, 3).length);
            assertEquals(3 * 64, s.forward(strided.initialParams(1), x, 3).length);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void forwardMatchesDoubleReference(Variant v) {
        Conv4Spec spec = small(v);
        double[] p = randomParams(spec, 3);
        double[] x = random(5 * 784, 4);
        double[] ref = new Conv4Reference(spec).embed(p, x, 5, null);
        try (Conv4Net net = new Conv4Net(spec)) {
            double[] got = net.forward(p, x, 5);
            double scale = Arrays.stream(ref).map(Math::abs).max().orElseThrow();
            for (int i = 0; i < ref.length; i++) {
                assertEquals(ref[i], got[i], 1e-4 * scale, "embedding " + i);
            }
        }
    }

    /** Parameter and input gradients of L = r . embed(theta, x) against central differences of the reference. */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void gradientMatchesFiniteDifferences(Variant v) {
        Conv4Spec spec = small(v);
        int n = 4;
        double[] p = randomParams(spec, 5);
        double[] x = random(n * 784, 6);
        double[] r = random(n * spec.embeddingSize(), 7);
        double[] g = new double[spec.numParams()];
        double[] dx = new double[x.length];
        try (Conv4Net net = new Conv4Net(spec)) {
            net.forward(p, x, n);
            net.backward(r, g, dx);
        }
        Conv4Reference ref = new Conv4Reference(spec);
        double h = H;
        for (int k = 0; k < 3; k++) {
            double[] u = direction(p.length, 100 + k);
            double fd = (dot(r, ref.embed(axpy(p, h, u), x, n, null)) - dot(r, ref.embed(axpy(p, -h, u), x, n, null))) / (2 * h);
            double err = relErr(dot(g, u), fd, norm(g));
            assertTrue(err < TOL, v + " params direction " + k + ": analytic " + dot(g, u) + " vs FD " + fd + " (rel " + err + ")");
        }
        double[] u = direction(x.length, 200);
        double fd = (dot(r, ref.embed(p, axpy(x, h, u), n, null)) - dot(r, ref.embed(p, axpy(x, -h, u), n, null))) / (2 * h);
        double err = relErr(dot(dx, u), fd, norm(dx));
        assertTrue(err < TOL, v + " input direction: analytic " + dot(dx, u) + " vs FD " + fd + " (rel " + err + ")");
    }

    /**
     * Batch norm differentiated through the batch mean and variance: the gradient along gamma/beta-only and
     * input-only directions matches the batch-statistics reference, and is far from what a backward pass that treated
     * the statistics as constants would give (so this test catches that mistake).
     */
    @Test
    void batchNormBackwardGoesThroughBatchStatistics() {
        Conv4Spec spec = new Conv4Spec(28, 1, 8, 2, Variant.POOL);
        int n = 3;
        double[] p = randomParams(spec, 8);
        double[] x = random(n * 784, 9);
        double[] r = random(n * spec.embeddingSize(), 10);
        double[] g = new double[spec.numParams()];
        double[] dx = new double[x.length];
        try (Conv4Net net = new Conv4Net(spec)) {
            net.forward(p, x, n);
            net.backward(r, g, dx);
        }
        Conv4Reference live = new Conv4Reference(spec);
        live.embed(p, x, n, null);
        double[] u = new double[p.length];                 // gamma and beta of block 0 only
        double[] dir = direction(2 * spec.filters(), 11);
        System.arraycopy(dir, 0, u, spec.gammaOffset(0), dir.length);
        assertBatchStatsGradient(spec, live, p, x, r, n, u, dot(g, u), true);
        assertBatchStatsGradient(spec, live, p, x, r, n, direction(x.length, 12), dot(dx, direction(x.length, 12)), false);
    }

    private static void assertBatchStatsGradient(Conv4Spec spec, Conv4Reference live, double[] p, double[] x, double[] r,
                                                 int n, double[] u, double analytic, boolean alongParams) {
        double h = H;
        double[] fds = new double[2];
        for (int frozen = 0; frozen < 2; frozen++) {
            Conv4Reference ref = new Conv4Reference(spec);
            Conv4Reference stats = frozen == 1 ? live : null;
            double[] pp = alongParams ? axpy(p, h, u) : p, pm = alongParams ? axpy(p, -h, u) : p;
            double[] xp = alongParams ? x : axpy(x, h, u), xm = alongParams ? x : axpy(x, -h, u);
            fds[frozen] = (dot(r, ref.embed(pp, xp, n, stats)) - dot(r, ref.embed(pm, xm, n, stats))) / (2 * h);
        }
        String what = alongParams ? "gamma/beta" : "input";
        assertTrue(relErr(analytic, fds[0], Math.abs(fds[0])) < TOL, what + ": analytic " + analytic + " vs batch-statistics FD " + fds[0]);
        assertTrue(relErr(analytic, fds[1], Math.abs(fds[0])) > 5e-2, what + ": analytic " + analytic
                + " is close to the frozen-statistics FD " + fds[1] + "; the test would not tell them apart");
    }

    @Test
    void sameInputsGiveIdenticalBits() {
        Conv4Spec spec = Conv4Spec.omniglot(Variant.POOL);
        float[] p = toFloat(randomParams(spec, 13));
        float[] x = toFloat(random(25 * 784, 14));
        float[] r = toFloat(random(25 * 64, 15));
        float[][] first = run(spec, p, x, r, 25, false);
        float[][] again = run(spec, p, x, r, 25, true);
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], again[i], "output " + i + " differs between instances or calls");
        }
    }

    /** Forward, backward twice on one instance (another batch size in between on the second run). */
    private static float[][] run(Conv4Spec spec, float[] p, float[] x, float[] r, int n, boolean interleave) {
        try (Conv4Net net = new Conv4Net(spec)) {
            float[] e1 = net.forward(p, x, n);
            float[] g1 = new float[p.length];
            float[] dx1 = new float[x.length];
            net.backward(r, g1, dx1);
            if (interleave) {
                net.forward(p, Arrays.copyOf(x, 5 * 784), 5);
                net.backward(Arrays.copyOf(r, 5 * 64), new float[p.length], null);
            }
            float[] e2 = net.forward(p, x, n);
            float[] g2 = new float[p.length];
            net.backward(r, g2, null);
            assertArrayEquals(e1, e2, "embeddings differ between two calls");
            assertArrayEquals(g1, g2, "gradients differ between two calls");
            return new float[][]{e1, g1, dx1};
        }
    }

    @Test
    void wrongSizesAreNamed() {
        Conv4Spec spec = Conv4Spec.omniglot(Variant.STRIDED);
        try (Conv4Net net = new Conv4Net(spec)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.forward(new float[spec.numParams()], new float[700], 1));
            assertTrue(e.getMessage().contains("700") && e.getMessage().contains("784"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> net.forward(new float[10], new float[784], 1));
            assertTrue(e.getMessage().contains("10") && e.getMessage().contains(String.valueOf(spec.numParams())), e.getMessage());
            assertThrows(IllegalStateException.class, () -> net.backward(new float[64], new float[spec.numParams()], null));
        }
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    /** Weights are reordered only when the loaded parameters change: going back and forth gives each set's own bits. */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void parametersLoadedAgainGiveTheirOwnResults(Variant v) {
        Conv4Spec spec = small(v);
        double[] a = randomParams(spec, 3);
        double[] b = randomParams(spec, 4);
        double[] x = random(3 * spec.inputSize(), 5);
        double[] fromA;
        double[] fromB;
        try (Conv4Net fresh = new Conv4Net(spec)) {
            fromA = fresh.forward(a, x, 3);
        }
        try (Conv4Net fresh = new Conv4Net(spec)) {
            fromB = fresh.forward(b, x, 3);
        }
        try (Conv4Net net = new Conv4Net(spec)) {
            assertArrayEquals(fromA, net.forward(a, x, 3));
            assertArrayEquals(fromA, net.forward(a.clone(), x, 3));
            assertArrayEquals(fromB, net.forward(b, x, 3));
            double[] oneChanged = a.clone();
            oneChanged[spec.numParams() - 1] += 0.5;   // the last beta: the copy must not stop at a prefix
            double[] betaChanged = net.forward(oneChanged, x, 3);
            assertTrue(!Arrays.equals(fromA, betaChanged));
            oneChanged[0] += 0.5;                       // a first-layer weight: a reorder must follow
            assertTrue(!Arrays.equals(betaChanged, net.forward(oneChanged, x, 3)));
            assertArrayEquals(fromA, net.forward(a, x, 3));
        }
    }
}
