package ai.metaspark.algo;

import ai.metaspark.Fixtures;
import ai.metaspark.model.Activation;
import ai.metaspark.model.Learner;
import ai.metaspark.model.MlpLearner;
import ai.metaspark.model.MlpModel;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSpec;
import org.junit.jupiter.api.Test;

import static ai.metaspark.Fixtures.relErr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MAML++ options of {@link Maml}: the multi-step loss is differentiated exactly; derivative-order annealing switches. */
class MamlPlusPlusTest {
    private static final double ALPHA = 0.3;

    /** The sinusoid fixture task, moved to meta-step {@code step}. */
    private static Task at(int step) {
        Task t = Fixtures.sinusoidTask(11, 10, 10);
        TaskSpec s = t.spec();
        return new Task(new TaskSpec(Split.TRAIN, step, s.index(), s.seed()), t.support(), t.query());
    }

    @Test
    void weightsStartUniformAnnealToTheLastAndSumToOne() {
        assertArrayEquals(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, new MultiStepLoss(100).weights(5, 0), 1e-15);
        double[] half = new MultiStepLoss(100).weights(5, 50);
        assertEquals(0.1, half[0], 1e-15);
        assertEquals(0.6, half[4], 1e-12);
        double[] end = new MultiStepLoss(100).weights(5, 1000);
        assertEquals(0.006, end[0], 1e-15);
        assertEquals(1 - 4 * 0.006, end[4], 1e-12);
        for (double[] w : new double[][] {half, end}) assertEquals(1, java.util.Arrays.stream(w).sum(), 1e-12);
    }

    @Test
    void preMetricsAreTheSupportSetsBeforeAdaptingAndPostTheQuerySetsAfter() {
        MlpModel spec = Fixtures.smallMlp(Activation.TANH);
        Learner l = new MlpLearner(spec);
        double[] theta = spec.initialParams(31);
        Task task = at(0);
        TaskOutcome out = new Maml(Maml.Options.sgd(2, ALPHA)).adapt(l, theta, task);
        assertEquals(l.loss(theta, task.support()), out.preLoss(), 1e-12);
        double[] adapted = InnerSgd.uniform(ALPHA).adapt(l, theta, task.support(), 2);
        assertEquals(l.loss(adapted, task.query()), out.postLoss(), 1e-12);
        assertTrue(out.preLoss() != l.loss(theta, task.query()), "the query's loss before adapting is another number");
    }

    @Test
    void multiStepLossGradientMatchesFiniteDifference() {
        MlpModel spec = Fixtures.smallMlp(Activation.TANH);
        Learner l = new MlpLearner(spec);
        double[] theta = spec.initialParams(21);
        int k = 3;
        int step = 40;
        Task task = at(step);
        double[] w = new MultiStepLoss(100).weights(k, step);
        double[] fd = Fixtures.fdGradient(t -> {
            double sum = 0;
            double[] cur = t;
            for (int j = 1; j <= k; j++) {
                cur = InnerSgd.uniform(ALPHA).adapt(l, cur, task.support(), 1);
                sum += w[j - 1] * l.loss(cur, task.query());
            }
            return sum;
        }, theta, 1e-6);
        double[] got = new Maml(Maml.Options.sgd(k, ALPHA).withMultiStepLoss(100)).adapt(l, theta, task).metaGradient();
        assertTrue(relErr(got, fd) <= 1e-5, "multi-step loss: relative error " + relErr(got, fd));
        double[] first = new Maml(Maml.Options.sgd(k, ALPHA).asFirstOrder().withMultiStepLoss(100)).adapt(l, theta, task).metaGradient();
        assertTrue(relErr(first, fd) > 1e-2, "first order differs: " + relErr(first, fd));
    }

    @Test
    void derivativeOrderAnnealingIsFirstOrderBeforeTheSwitchAndSecondAfter() {
        MlpModel spec = Fixtures.smallMlp(Activation.TANH);
        Learner l = new MlpLearner(spec);
        double[] theta = spec.initialParams(5);
        Maml annealed = new Maml(Maml.Options.sgd(2, ALPHA).withFirstOrderSteps(10));
        assertArrayEquals(new Maml(Maml.Options.sgd(2, ALPHA).asFirstOrder()).adapt(l, theta, at(9)).metaGradient(),
                annealed.adapt(l, theta, at(9)).metaGradient(), 0.0);
        assertArrayEquals(new Maml(Maml.Options.sgd(2, ALPHA)).adapt(l, theta, at(10)).metaGradient(),
                annealed.adapt(l, theta, at(10)).metaGradient(), 0.0);
    }
}
