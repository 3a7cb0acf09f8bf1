package ai.metaspark.model.conv;

import ai.metaspark.model.conv.Conv4Spec.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static ai.metaspark.model.conv.Conv4ReferenceTest.gaussian;
import static ai.metaspark.model.conv.Conv4ReferenceTest.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ND4J Conv-4 computes several tasks side by side, each under its own parameters and batch statistics: every
 * pass (forward, backward with the input gradient, the R-operator's forward and backward) gives each task of a
 * batched call the bits it gets alone, so a task's results do not depend on which tasks share its call (or on how a
 * meta-batch is cut into slices).
 */
class Nd4jConv4NetTest {
    private static final int TASKS = 3;
    private static final int N = 4;

    static Conv4Spec spec(Variant v) {
        return v == Variant.STRIDED ? new Conv4Spec(14, 1, 8, 4, v) : new Conv4Spec(16, 1, 8, 4, v);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void tasksSideBySideGetTheBitsTheyGetAlone(Variant variant) {
        Conv4Spec spec = spec(variant);
        int e = spec.embeddingSize();
        double[][] p = new double[TASKS][];
        double[][] x = new double[TASKS][];
        double[][] dEmb = new double[TASKS][];
        float[][] v = new float[TASKS][];
        float[][] rDEmb = new float[TASKS][];
        for (int t = 0; t < TASKS; t++) {
            p[t] = params(spec, 10 + t);
            x[t] = gaussian(N * spec.inputSize(), 20 + t);
            dEmb[t] = gaussian(N * e, 30 + t);
            v[t] = Conv4Net.toFloat(gaussian(spec.numParams(), 40 + t), new float[spec.numParams()]);
            rDEmb[t] = Conv4Net.toFloat(gaussian(N * e, 50 + t), new float[N * e]);
        }
        try (Nd4jConv4Net together = new Nd4jConv4Net(spec); Nd4jConv4Net alone = new Nd4jConv4Net(spec)) {
            double[][] emb = together.forward(p, x, N);
            double[][] grad = new double[TASKS][spec.numParams()];
            double[][] dx = new double[TASKS][N * spec.inputSize()];
            together.backward(dEmb, grad, dx);
            float[][] rEmb = together.directionalForward(v);
            float[][] hv = new float[TASKS][spec.numParams()];
            together.directionalBackward(rDEmb, hv);
            for (int t = 0; t < TASKS; t++) {
                assertArrayEquals(alone.forward(p[t], x[t], N), emb[t], "task " + t + ": embeddings");
                double[] g = new double[spec.numParams()];
                double[] d = new double[N * spec.inputSize()];
                alone.backward(dEmb[t], g, d);
                assertArrayEquals(g, grad[t], "task " + t + ": parameter gradient");
                assertArrayEquals(d, dx[t], "task " + t + ": input gradient");
                assertArrayEquals(alone.directionalForward(v[t]), rEmb[t], "task " + t + ": R of the embeddings");
                float[] h = new float[spec.numParams()];
                alone.directionalBackward(rDEmb[t], h);
                assertArrayEquals(h, hv[t], "task " + t + ": R of the gradient");
            }
            assertFalse(java.util.Arrays.equals(grad[0], grad[1]), "different tasks, different gradients");
        }
    }

    @Test
    void aBatchedForwardIsNotTakenForAKeptSingleTaskLoad() {
        Conv4Spec spec = spec(Variant.STRIDED);
        double[] p = params(spec, 1);
        double[] x = gaussian(N * spec.inputSize(), 2);
        try (Nd4jConv4Net net = new Nd4jConv4Net(spec)) {
            net.forward(p, x, N);
            assertTrue(net.holds(p));
            net.forward(new double[][] {p, p}, new double[][] {x, x}, N);
            assertFalse(net.holds(p), "two tasks loaded: no single parameter vector is held");
        }
    }

    @Test
    void mismatchedTaskCountsAreNamed() {
        Conv4Spec spec = spec(Variant.STRIDED);
        double[] p = params(spec, 1);
        double[] x = gaussian(N * spec.inputSize(), 2);
        try (Nd4jConv4Net net = new Nd4jConv4Net(spec)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.forward(new double[][] {p, p}, new double[][] {x}, N));
            assertTrue(e.getMessage().contains("2 and 1"), e.getMessage());
            net.forward(new double[][] {p, p}, new double[][] {x, x}, N);
            e = assertThrows(IllegalArgumentException.class,
                    () -> net.backward(new double[][] {new double[N * spec.embeddingSize()]}, new double[][] {new double[p.length]}, null));
            assertTrue(e.getMessage().contains("dEmb holds 1 tasks; the last forward ran 2"), e.getMessage());
        }
    }
}
