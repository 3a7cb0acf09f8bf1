package ai.metaspark.optim;

import ai.metaspark.optim.OptimizerSpec.Decay;
import ai.metaspark.optim.OptimizerSpec.Rule;
import ai.metaspark.optim.OptimizerSpec.Schedule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OuterOptimizerTest {
    private static OuterOptimizer of(Rule rule, double lr, double clipNorm, int size) {
        return OuterOptimizer.of(new OptimizerSpec(rule, lr, 0.9, clipNorm, Schedule.constant()), size);
    }

    private static OuterOptimizer scheduled(Schedule schedule) {
        return OuterOptimizer.of(new OptimizerSpec(Rule.ADAM, 0.01, 0.9, 0, schedule), 1);
    }

    @Test
    void sgdIsThetaMinusRateTimesGradientAndClipsByGlobalNorm() {
        OuterOptimizer sgd = of(Rule.SGD, 0.5, 0, 2);
        double[] theta = {1, 2};
        double norm = sgd.step(theta, new double[]{3, 4}, 0);
        assertEquals(5, norm);
        assertArrayEquals(new double[]{-0.5, 0}, theta, 1e-15);
        OuterOptimizer clipped = of(Rule.SGD, 1, 1, 2);
        double[] t2 = {0, 0};
        clipped.step(t2, new double[]{3, 4}, 0);
        assertArrayEquals(new double[]{-0.6, -0.8}, t2, 1e-15);
    }

    @Test
    void adamRestoredFromItsStateContinuesIdentically() {
        OuterOptimizer a = of(Rule.ADAM, 0.1, 0, 3);
        double[] theta = {1, -1, 0.5};
        for (int s = 0; s < 5; s++) a.step(theta, new double[]{s, 1 - s, 0.3}, s);
        OuterOptimizer b = of(Rule.ADAM, 0.1, 0, 3);
        b.restore(a.state());
        double[] t2 = theta.clone();
        a.step(theta, new double[]{0.7, -0.2, 0.1}, 5);
        b.step(t2, new double[]{0.7, -0.2, 0.1}, 5);
        assertArrayEquals(theta, t2, 0.0);
    }

    @Test
    void adamsFirstStepMovesEveryParameterByTheRateAgainstItsGradientsSign() {
        OuterOptimizer adam = of(Rule.ADAM, 0.01, 0, 3);
        double[] theta = {0, 0, 0};
        adam.step(theta, new double[]{2.5, -1e-3, 40}, 0);
        assertArrayEquals(new double[]{-0.01, 0.01, -0.01}, theta, 1e-5); // up to epsilon 1e-8 against sqrt(v)
        assertEquals(6, adam.state().length, "[m, v]");
    }

    @Test
    void nesterovFollowsTheLookAheadForm() {
        OuterOptimizer nag = of(Rule.NESTEROV, 0.1, 0, 1);
        double[] theta = {0};
        nag.step(theta, new double[]{1}, 0); // v = -0.1; theta -= 0.9*0 - 1.9*(-0.1)
        assertEquals(-0.19, theta[0], 1e-15);
        nag.step(theta, new double[]{1}, 1); // v = -0.19; theta -= 0.9*(-0.1) - 1.9*(-0.19)
        assertEquals(-0.19 - (-0.09 + 0.361), theta[0], 1e-15);
    }

    @Test
    void schedules() {
        OuterOptimizer step = scheduled(new Schedule(Decay.STEP, 100, 0.5, 0, 1000));
        assertEquals(0.01, step.learningRate(99), 1e-15);
        assertEquals(0.005, step.learningRate(100), 1e-15);
        OuterOptimizer cos = scheduled(new Schedule(Decay.COSINE, 1, 1, 0.001, 1000));
        assertEquals(0.01, cos.learningRate(0), 1e-15);
        assertEquals(0.0055, cos.learningRate(500), 1e-12);
        assertEquals(0.001, cos.learningRate(1000), 1e-15);
    }
}
