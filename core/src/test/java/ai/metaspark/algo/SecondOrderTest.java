package ai.metaspark.algo;

import ai.metaspark.Fixtures;
import ai.metaspark.model.Activation;
import ai.metaspark.model.Dl4jLearner;
import ai.metaspark.model.Learner;
import ai.metaspark.model.MlpLearner;
import ai.metaspark.model.MlpModel;
import ai.metaspark.task.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static ai.metaspark.Fixtures.relErr;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance check of second-order MAML: in float64, the meta-gradient for 1 and 3 inner steps equals a central
 * finite difference of the whole meta-objective L_Q(theta after k inner steps); first-order MAML visibly does not.
 */
class SecondOrderTest {
    private static final double ALPHA = 0.3;
    private final Task task = Fixtures.sinusoidTask(11, 10, 10);

    private static Learner learner(String backend, MlpModel spec) {
        return backend.equals("fast") ? new MlpLearner(spec) : new Dl4jLearner(spec);
    }

    /** L_Q(theta_k), theta_k from k SGD steps at rate(s) alpha on the support set. */
    private double metaObjective(Learner l, double[] theta, InnerSgd inner, int steps) {
        return l.loss(inner.adapt(l, theta, task.support(), steps), task.query());
    }

    @ParameterizedTest(name = "{0} backend, {1} inner steps, {2}")
    @CsvSource({"fast,1,TANH", "fast,3,TANH", "fast,1,RELU", "fast,3,RELU", "dl4j,1,TANH", "dl4j,3,TANH", "dl4j,1,RELU", "dl4j,3,RELU"})
    void mamlMatchesFiniteDifferenceAndFirstOrderDoesNot(String backend, int steps, Activation act) {
        MlpModel spec = Fixtures.smallMlp(act);
        Learner l = learner(backend, spec);
        double[] theta = spec.initialParams(21);
        double[] fd = Fixtures.fdGradient(t -> metaObjective(l, t, InnerSgd.uniform(ALPHA), steps), theta, 1e-6);

        double[] second = new Maml(Maml.Options.sgd(steps, ALPHA)).adapt(l, theta, task).metaGradient();
        double[] first = new Maml(Maml.Options.sgd(steps, ALPHA).asFirstOrder()).adapt(l, theta, task).metaGradient();

        assertTrue(relErr(second, fd) <= 1e-5, "second order: relative error " + relErr(second, fd));
        assertTrue(relErr(first, fd) > 1e-2, "first order should differ: relative error " + relErr(first, fd));
    }

    @ParameterizedTest(name = "{0} backend, {1} inner steps")
    @CsvSource({"fast,1", "fast,3", "dl4j,1", "dl4j,3"})
    void metaSgdGradientMatchesFiniteDifferenceForWeightsAndRates(String backend, int steps) {
        MlpModel spec = Fixtures.smallMlp(Activation.TANH);
        Learner l = learner(backend, spec);
        int p = spec.numParams();
        MetaAlgorithm algo = Algorithms.of(AlgorithmSpec.of("metasgd", steps, ALPHA), spec);
        double[] meta = algo.initialize(spec.initialParams(22));
        for (int k = p; k < 2 * p; k++) meta[k] = ALPHA * (0.5 + (k % 7) / 7.0);   // unequal rates
        double[] fd = Fixtures.fdGradient(m -> metaObjective(l, Arrays.copyOf(m, p),
                InnerSgd.perParameter(Arrays.copyOfRange(m, p, 2 * p)), steps), meta, 1e-6);

        double[] got = algo.adapt(l, meta, task).metaGradient();

        double[] rateFd = Arrays.copyOfRange(fd, p, 2 * p);
        double[] rateGot = Arrays.copyOfRange(got, p, 2 * p);
        assertTrue(relErr(rateGot, rateFd) <= 1e-5, "learning-rate gradient: relative error " + relErr(rateGot, rateFd));
        assertTrue(relErr(got, fd) <= 1e-5, "full gradient: relative error " + relErr(got, fd));
    }
}
