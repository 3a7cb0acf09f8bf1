package ai.metaspark.model.conv;

import ai.metaspark.model.conv.Conv4Spec.Variant;
import org.junit.jupiter.api.Test;

import static ai.metaspark.model.conv.Conv4ReferenceTest.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Conv4Slice}: each task's loss, gradient and Hessian-vector product are the bits {@link Conv4Classifier} on
 * ND4J operations gives it alone, a stage's products use that stage's pass (not the last one), and misuse is named.
 */
class Conv4SliceTest {
    private static final int CLASSES = 5;
    private static final Conv4Spec SPEC = new Conv4Spec(14, 1, 8, 4, Variant.STRIDED);

    @Test
    void eachTaskGetsTheClassifiersBitsAtEachStage() {
        int p = Conv4Classifier.numParams(SPEC, CLASSES);
        double[][] params = {Conv4Classifier.initialParams(SPEC, CLASSES, 1), Conv4Classifier.initialParams(SPEC, CLASSES, 2)};
        double[][] x = {gaussian(CLASSES * SPEC.inputSize(), 3), gaussian(CLASSES * SPEC.inputSize(), 4)};
        double[][] xQuery = {gaussian(CLASSES * SPEC.inputSize(), 5), gaussian(CLASSES * SPEC.inputSize(), 6)};
        int[][] labels = {{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}};
        double[][] v = {gaussian(p, 7), gaussian(p, 8)};
        try (Conv4Slice slice = new Conv4Slice(SPEC, CLASSES)) {
            double[][] grads = new double[2][p];
            double[] losses = slice.gradients(0, params, x, labels, grads);
            slice.gradients(1, params, xQuery, labels, new double[2][p]); // a later stage: stage 0's pass stays
            double[][] hv = new double[2][p];
            slice.hessianVectors(0, v, hv);
            for (int t = 0; t < 2; t++) {
                try (Conv4Classifier alone = new Conv4Classifier(SPEC, CLASSES, Conv4Backend.ND4J)) {
                    double[] g = new double[p];
                    assertEquals(alone.gradient(params[t], x[t], labels[t], g), losses[t], 0.0, "task " + t + "'s loss");
                    assertArrayEquals(g, grads[t], "task " + t + "'s gradient");
                    double[] h = new double[p];
                    alone.hessianVector(params[t], x[t], labels[t], v[t], h);
                    assertArrayEquals(h, hv[t], "task " + t + "'s Hessian-vector product at stage 0");
                }
            }
        }
    }

    @Test
    void misuseIsNamed() {
        int p = Conv4Classifier.numParams(SPEC, CLASSES);
        double[] params = Conv4Classifier.initialParams(SPEC, CLASSES, 1);
        try (Conv4Slice slice = new Conv4Slice(SPEC, CLASSES)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> slice.gradients(0,
                    new double[][] {params, params}, new double[][] {new double[5 * SPEC.inputSize()], new double[4 * SPEC.inputSize()]},
                    new int[][] {{0, 1, 2, 3, 4}, {0, 1, 2, 3}}, new double[2][p]));
            assertTrue(e.getMessage().contains("task 1 has 4 images, task 0 has 5"), e.getMessage());
            IllegalStateException s = assertThrows(IllegalStateException.class,
                    () -> slice.hessianVectors(3, new double[1][p], new double[1][p]));
            assertTrue(s.getMessage().contains("no gradients kept at stage 3"), s.getMessage());
        }
    }
}
