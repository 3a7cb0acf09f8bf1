package ai.metaspark.optim;

import ai.metaspark.config.RunConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OuterOptimizerTest {
    @Test
    void sgdIsThetaMinusRateTimesGradientAndClipsByGlobalNorm() {
        OuterOptimizer sgd = OuterOptimizer.fromConfig(RunConfig.defaults().with("outer_optimizer=sgd", "outer_lr=0.5"), 2);
        double[] theta = {1, 2};
        double norm = sgd.step(theta, new double[]{3, 4}, 0);
        assertEquals(5, norm);
        assertArrayEquals(new double[]{-0.5, 0}, theta, 1e-15);
        OuterOptimizer clipped = OuterOptimizer.fromConfig(RunConfig.defaults().with("outer_optimizer=sgd", "outer_lr=1", "clip_norm=1"), 2);
        double[] t2 = {0, 0};
        clipped.step(t2, new double[]{3, 4}, 0);
        assertArrayEquals(new double[]{-0.6, -0.8}, t2, 1e-15);
    }

    @Test
    void adamRestoredFromItsStateContinuesIdentically() {
        RunConfig c = RunConfig.defaults().with("outer_lr=0.1");
        OuterOptimizer a = OuterOptimizer.fromConfig(c, 3);
        double[] theta = {1, -1, 0.5};
        for (int s = 0; s < 5; s++) a.step(theta, new double[]{s, 1 - s, 0.3}, s);
        OuterOptimizer b = OuterOptimizer.fromConfig(c, 3);
        b.restore(a.state());
        double[] t2 = theta.clone();
        a.step(theta, new double[]{0.7, -0.2, 0.1}, 5);
        b.step(t2, new double[]{0.7, -0.2, 0.1}, 5);
        assertArrayEquals(theta, t2, 0.0);
    }

    @Test
    void adamsFirstStepMovesEveryParameterByTheRateAgainstItsGradientsSign() {
        OuterOptimizer adam = OuterOptimizer.fromConfig(RunConfig.defaults().with("outer_optimizer=adam", "outer_lr=0.01"), 3);
        double[] theta = {0, 0, 0};
        adam.step(theta, new double[]{2.5, -1e-3, 40}, 0);
        assertArrayEquals(new double[]{-0.01, 0.01, -0.01}, theta, 1e-5); // up to epsilon 1e-8 against sqrt(v)
        assertEquals(6, adam.state().length, "[m, v]");
    }

    @Test
    void nesterovFollowsTheLookAheadForm() {
        OuterOptimizer nag = OuterOptimizer.fromConfig(RunConfig.defaults().with("outer_optimizer=nesterov", "outer_lr=0.1", "momentum=0.9"), 1);
        double[] theta = {0};
        nag.step(theta, new double[]{1}, 0); // v = -0.1; theta -= 0.9*0 - 1.9*(-0.1)
        assertEquals(-0.19, theta[0], 1e-15);
        nag.step(theta, new double[]{1}, 1); // v = -0.19; theta -= 0.9*(-0.1) - 1.9*(-0.19)
        assertEquals(-0.19 - (-0.09 + 0.361), theta[0], 1e-15);
    }

    @Test
    void schedules() {
        RunConfig base = RunConfig.defaults().with("outer_lr=0.01", "meta_steps=1000");
        OuterOptimizer step = OuterOptimizer.fromConfig(base.with("lr_schedule=step", "lr_decay_every=100", "lr_decay_rate=0.5"), 1);
        assertEquals(0.01, step.learningRate(99), 1e-15);
        assertEquals(0.005, step.learningRate(100), 1e-15);
        OuterOptimizer cos = OuterOptimizer.fromConfig(base.with("lr_schedule=cosine", "lr_min=0.001"), 1);
        assertEquals(0.01, cos.learningRate(0), 1e-15);
        assertEquals(0.0055, cos.learningRate(500), 1e-12);
        assertEquals(0.001, cos.learningRate(1000), 1e-15);
    }
}
