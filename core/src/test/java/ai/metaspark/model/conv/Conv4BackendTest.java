package ai.metaspark.model.conv;

import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.Learner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code backend} key on Conv-4: fast is oneDNN, dl4j the ND4J operations, auto oneDNN on a machine where ND4J
 * runs on the CPU (as here and in CI); the learners it gives compute the same loss and gradient on both.
 */
class Conv4BackendTest {
    @Test
    void namesSelectTheBackendAndAutoPicksOneDnnOnTheCpu() {
        assertFalse(Conv4Backend.nd4jOnGpu(), "this test runs where ND4J is on the CPU");
        assertEquals("CPU", Conv4Backend.nd4jCompute());
        assertEquals(Conv4Backend.ONEDNN, Conv4Backend.named("fast"));
        assertEquals(Conv4Backend.ND4J, Conv4Backend.named("dl4j"));
        assertEquals(Conv4Backend.ONEDNN, Conv4Backend.named("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conv4Backend.named("cuda"));
        assertTrue(e.getMessage().contains("'cuda'"), e.getMessage());
        Conv4Model model = new Conv4Model(new Conv4Spec(14, 1, 8, 4, Conv4Spec.Variant.STRIDED), 5);
        assertTrue(model.describeBackend("auto").startsWith("auto, here fast (Conv-4 on oneDNN"), model.describeBackend("auto"));
        assertEquals("fast (Conv-4 on oneDNN, CPU)", model.describeBackend("fast"));
        assertEquals("dl4j (Conv-4 on ND4J operations, CPU)", model.describeBackend("dl4j"));
    }

    @Test
    void bothBackendsGiveTheSameLossAndGradient() {
        Conv4Model model = new Conv4Model(new Conv4Spec(14, 1, 8, 4, Conv4Spec.Variant.STRIDED), 5);
        double[] p = model.initialParams(3);
        int[] labels = {0, 1, 2, 3, 4};
        double[] x = Conv4ReferenceTest.gaussian(labels.length * model.conv().inputSize(), 4);
        ai.metaspark.task.Batch batch = Conv4ReferenceTest.batch(model.conv(), x, labels);
        double[] fast = new double[p.length];
        double[] dl4j = new double[p.length];
        Learner a = model.learners("fast").get();
        Learner b = model.learners("dl4j").get();
        double lossA = a.gradient(p, batch, fast);
        double lossB = b.gradient(p, batch, dl4j);
        assertEquals(lossA, lossB, 1e-5 * Math.abs(lossA));
        assertTrue(Conv4HessianTest.relative(dl4j, fast) < 1e-4, "gradient relative error " + Conv4HessianTest.relative(dl4j, fast));
        assertTrue(Conv4HessianTest.norm(fast) > 1e-3);
    }
}
