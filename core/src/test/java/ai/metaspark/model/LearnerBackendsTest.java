package ai.metaspark.model;

import ai.metaspark.Fixtures;
import ai.metaspark.task.Task;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.factory.Nd4j;

import static ai.metaspark.Fixtures.relErr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast MLP kernel against DL4J's MultiLayerNetwork and against finite differences. */
class LearnerBackendsTest {
    private final Task task = Fixtures.sinusoidTask(7, 10, 10);

    @ParameterizedTest
    @EnumSource(Activation.class)
    void fastGradientEqualsDl4jGradient(Activation act) {
        MlpModel spec = Fixtures.smallMlp(act);
        double[] p = spec.initialParams(3);
        double[] fast = new double[p.length];
        double[] dl4j = new double[p.length];
        double lf = new MlpLearner(spec).gradient(p, task.support(), fast);
        double ld = new Dl4jLearner(spec).gradient(p, task.support(), dl4j);
        assertEquals(ld, lf, 1e-12 * Math.abs(ld));
        assertTrue(relErr(fast, dl4j) < 1e-12, "relative error " + relErr(fast, dl4j));
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientEqualsFiniteDifferenceOfLoss(Activation act) {
        MlpModel spec = Fixtures.smallMlp(act);
        MlpLearner l = new MlpLearner(spec);
        double[] p = spec.initialParams(4);
        double[] g = new double[p.length];
        l.gradient(p, task.support(), g);
        double[] fd = Fixtures.fdGradient(x -> l.loss(x, task.support()), p, 1e-6);
        assertTrue(relErr(g, fd) < 1e-7, "relative error " + relErr(g, fd));
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void exactHessianVectorEqualsFiniteDifferenceOfGradient(Activation act) {
        MlpModel spec = Fixtures.smallMlp(act);
        MlpLearner l = new MlpLearner(spec);
        double[] p = spec.initialParams(5);
        double[] v = spec.initialParams(6);
        double[] hv = new double[p.length];
        l.hessianVector(p, task.support(), v, hv);
        double[] viaDl4j = new double[p.length];
        new Dl4jLearner(spec).hessianVector(p, task.support(), v, viaDl4j);
        assertTrue(relErr(hv, viaDl4j) < 1e-10, "two exact R-operators, loops and ND4J: relative error " + relErr(hv, viaDl4j));
        double[] fd = centralDifference(l, p, task.support(), v);
        assertTrue(relErr(hv, fd) < 1e-6, "against a difference of gradients: relative error " + relErr(hv, fd));
        double norm = Math.sqrt(java.util.Arrays.stream(hv).map(x -> x * x).sum());
        assertTrue(norm > 1e-3, "a zero Hessian-vector product would pass trivially");
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void exportedDl4jModelPredictsLikeTheKernel(Activation act) {
        MlpModel spec = Fixtures.smallMlp(act);
        double[] p = spec.initialParams(8);
        MultiLayerNetwork net = Dl4jModels.withParams(spec, p);
        double[] dl4j = net.output(Nd4j.createFromArray(task.query().x()).reshape(10, 1).castTo(net.params().dataType()))
                .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(10).toDoubleVector();
        double[] fast = new MlpLearner(spec).predict(p, task.query());
        assertArrayEquals(fast, dl4j, 1e-5);
    }

    /** {@code [g(p + eps v) - g(p - eps v)] / 2 eps}, {@code eps = 1e-4 / |v|}: the finite-difference oracle. */
    private static double[] centralDifference(Learner l, double[] p, ai.metaspark.task.Batch data, double[] v) {
        double eps = 1e-4 / Math.sqrt(java.util.Arrays.stream(v).map(x -> x * x).sum());
        double[] plus = new double[p.length];
        double[] minus = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            plus[k] = p[k] + eps * v[k];
            minus[k] = p[k] - eps * v[k];
        }
        double[] gPlus = new double[p.length];
        double[] gMinus = new double[p.length];
        l.gradient(plus, data, gPlus);
        l.gradient(minus, data, gMinus);
        for (int k = 0; k < p.length; k++) gPlus[k] = (gPlus[k] - gMinus[k]) / (2 * eps);
        return gPlus;
    }

    /** A 4-6-5-3 softmax classifier and 7 rows with one-hot targets. */
    private static MlpModel classifier(Activation act) {
        return new MlpModel(4, java.util.List.of(6, 5), 3, act, true);
    }

    private static ai.metaspark.task.Batch classes() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        double[] x = new double[7 * 4];
        double[] y = new double[7 * 3];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble() * 2 - 1;
        for (int r = 0; r < 7; r++) y[r * 3 + rng.nextInt(3)] = 1;
        return new ai.metaspark.task.Batch(7, 4, 3, x, y);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void classifierGradientAndHessianMatchDl4jAndFiniteDifferences(Activation act) {
        MlpModel spec = classifier(act);
        ai.metaspark.task.Batch data = classes();
        MlpLearner l = new MlpLearner(spec);
        double[] p = spec.initialParams(3);
        double[] fast = new double[p.length];
        double[] dl4j = new double[p.length];
        double lf = l.gradient(p, data, fast);
        double ld = new Dl4jLearner(spec).gradient(p, data, dl4j);
        assertEquals(ld, lf, 1e-12 * Math.abs(ld), "mean cross-entropy");
        assertTrue(relErr(fast, dl4j) < 1e-12, "relative error " + relErr(fast, dl4j));
        assertTrue(relErr(fast, Fixtures.fdGradient(x -> l.loss(x, data), p, 1e-6)) < 1e-7);
        double[] v = spec.initialParams(6);
        double[] hv = new double[p.length];
        l.hessianVector(p, data, v, hv);
        double[] viaDl4j = new double[p.length];
        new Dl4jLearner(spec).hessianVector(p, data, v, viaDl4j);
        assertTrue(relErr(hv, viaDl4j) < 1e-10, "two exact R-operators, loops and ND4J: relative error " + relErr(hv, viaDl4j));
        assertTrue(relErr(hv, centralDifference(l, p, data, v)) < 1e-6, "against a difference of gradients");
        assertTrue(Math.sqrt(java.util.Arrays.stream(hv).map(x -> x * x).sum()) > 1e-3, "a zero product would pass trivially");
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void exportedClassifierPredictsTheSoftmaxOfTheKernelsLogits(Activation act) {
        MlpModel spec = classifier(act);
        ai.metaspark.task.Batch data = classes();
        double[] p = spec.initialParams(8);
        double[] probs = Dl4jModels.withParams(spec, p).output(Nd4j.createFromArray(data.x()).reshape(7, 4)
                .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .reshape(21).toDoubleVector();
        double[] z = new MlpLearner(spec).predict(p, data);
        for (int r = 0; r < 7; r++) {
            double sum = 0;
            for (int j = 0; j < 3; j++) sum += Math.exp(z[r * 3 + j]);
            for (int j = 0; j < 3; j++) assertEquals(Math.exp(z[r * 3 + j]) / sum, probs[r * 3 + j], 1e-5);
        }
    }
}
