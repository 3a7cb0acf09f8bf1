package ai.metaspark.algo;

import ai.metaspark.Fixtures;
import ai.metaspark.model.Activation;
import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.Learner;
import ai.metaspark.model.MlpLearner;
import ai.metaspark.model.MlpModel;
import ai.metaspark.model.NetworkSpec;
import ai.metaspark.model.ParamGroup;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static ai.metaspark.Fixtures.relErr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MAML++'s learned per-layer per-step inner rates (LSLR) and per-step batch norm ({@link PerTensorRates} and {@link StepBatchNorm} in
 * {@link Maml}): the meta-gradient of the rates and of the batch-norm copies is the derivative of the meta-objective,
 * computed here by a forward pass of the test's own.
 */
class PerStepOptionsTest {
    private static final double ALPHA = 0.3;
    private static final MlpModel MLP = Fixtures.smallMlp(Activation.TANH);
    private static final Conv4Model CONV = new Conv4Model(Conv4Spec.omniglot(Conv4Spec.Variant.POOL), 5);

    private static Task at(int step) {
        Task t = Fixtures.sinusoidTask(11, 10, 10);
        TaskSpec s = t.spec();
        return new Task(new TaskSpec(Split.TRAIN, step, s.index(), s.seed()), t.support(), t.query());
    }

    /**
     * The MLP with its biases marked as batch norm, so that per-step batch norm's bookkeeping can be checked against
     * finite differences on a network with exact Hessian-vector products.
     */
    private record MarkedMlp(MlpModel mlp) implements NetworkSpec {
        @Override public int numParams() { return mlp.numParams(); }
        @Override public double[] initialParams(long seed) { return mlp.initialParams(seed); }
        @Override public int headOffset() { return mlp.headOffset(); }
        @Override public boolean classifier() { return false; }
        @Override public org.deeplearning4j.nn.multilayer.MultiLayerNetwork toDl4j(double[] p) { return mlp.toDl4j(p); }
        @Override public java.util.function.Supplier<Learner> learners(String backend) { return mlp.learners(backend); }
        @Override public List<ParamGroup> paramGroups() {
            return mlp.paramGroups().stream().map(g -> new ParamGroup(g.name(), g.offset(), g.length(), g.name().endsWith(".b"))).toList();
        }
    }

    /**
     * The meta-objective written out: k inner steps, step j at rate {@code alpha_j} of each tensor (LSLR) or ALPHA, the
     * batch-norm tensors not adapted and swapped for step j's copy (per-step BN); multi-step loss with weights w.
     */
    private static double objective(Learner l, NetworkSpec net, double[] meta, Task task, int k, double[] w,
                                    boolean lslr, boolean perStepBn) {
        List<ParamGroup> groups = net.paramGroups();
        int p = net.numParams();
        int bnSize = groups.stream().filter(ParamGroup::batchNorm).mapToInt(ParamGroup::length).sum();
        int rates = p + (perStepBn ? k * bnSize : 0);
        double[] u = java.util.Arrays.copyOf(meta, p);
        double[] g = new double[p];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            l.gradient(withBatchNorm(net, meta, u, perStepBn ? j : 0), task.support(), g);
            double[] next = u.clone();
            for (int gi = 0; gi < groups.size(); gi++) {
                ParamGroup grp = groups.get(gi);
                if (perStepBn && grp.batchNorm()) continue;
                double rate = lslr ? meta[rates + j * groups.size() + gi] : ALPHA;
                for (int i = grp.offset(); i < grp.end(); i++) next[i] -= rate * g[i];
            }
            u = next;
            sum += w[j] * l.loss(withBatchNorm(net, meta, u, perStepBn ? j + 1 : 0), task.query());
        }
        return sum;
    }

    /** u with the batch-norm tensors of copy j (j >= 1; j = 0: u itself). */
    private static double[] withBatchNorm(NetworkSpec net, double[] meta, double[] u, int j) {
        if (j == 0) return u;
        List<ParamGroup> bn = net.paramGroups().stream().filter(ParamGroup::batchNorm).toList();
        int at = net.numParams() + (j - 1) * bn.stream().mapToInt(ParamGroup::length).sum();
        double[] p = u.clone();
        for (ParamGroup grp : bn) {
            System.arraycopy(meta, at, p, grp.offset(), grp.length());
            at += grp.length();
        }
        return p;
    }

    /** meta with its entries after the network's spread around their start, so each copy and rate differs. */
    private static double[] perturbed(double[] meta, int p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] out = meta.clone();
        for (int i = p; i < out.length; i++) out[i] *= 0.5 + rng.nextDouble();
        return out;
    }

    @Test
    void groupsTileTheParameterVector() {
        for (var net : List.of(MLP, CONV)) {
            int next = 0;
            for (ParamGroup g : net.paramGroups()) {
                assertEquals(next, g.offset(), g.name());
                next = g.end();
            }
            assertEquals(net.numParams(), next);
        }
        assertEquals(8, CONV.paramGroups().stream().filter(ParamGroup::batchNorm).count());
        assertEquals(6, MLP.paramGroups().size());
    }

    @Test
    void learnedRatesGradientMatchesFiniteDifferenceWithMultiStepLoss() {
        Learner l = new MlpLearner(MLP);
        int k = 3;
        int step = 40;
        Maml m = (Maml) Algorithms.of(AlgorithmSpec.of("maml", k, ALPHA).withMultiStepLoss(100).withLslr(), MLP);
        double[] meta = perturbed(m.initialize(MLP.initialParams(21)), MLP.numParams(), 3);
        assertEquals(MLP.numParams() + k * 6, meta.length);
        Task task = at(step);
        double[] w = new MultiStepLoss(100).weights(k, step);
        double[] fd = Fixtures.fdGradient(x -> objective(l, MLP, x, task, k, w, true, false), meta, 1e-6);
        double[] got = m.adapt(l, meta, task).metaGradient();
        assertTrue(relErr(got, fd) <= 1e-5, "LSLR meta-gradient: relative error " + relErr(got, fd));
        double[] rates = java.util.Arrays.copyOfRange(got, MLP.numParams(), meta.length);
        double[] fdRates = java.util.Arrays.copyOfRange(fd, MLP.numParams(), meta.length);
        assertTrue(relErr(rates, fdRates) <= 1e-5, "rate block: relative error " + relErr(rates, fdRates));
    }

    @Test
    void perStepBatchNormAndRatesGradientMatchesFiniteDifferenceSecondOrder() {
        NetworkSpec net = new MarkedMlp(MLP);
        Learner l = new MlpLearner(MLP);
        int k = 3;
        int step = 30;
        Maml m = (Maml) Algorithms.of(AlgorithmSpec.of("maml", k, ALPHA).withMultiStepLoss(100).withLslr().withPerStepBn(), net);
        double[] meta = perturbed(m.initialize(MLP.initialParams(8)), MLP.numParams(), 4);
        assertEquals(MLP.numParams() + k * (8 + 6 + 1) + k * 6, meta.length);
        Task task = at(step);
        double[] w = new MultiStepLoss(100).weights(k, step);
        double[] fd = Fixtures.fdGradient(x -> objective(l, net, x, task, k, w, true, true), meta, 1e-6);
        double[] got = m.adapt(l, meta, task).metaGradient();
        assertTrue(relErr(got, fd) <= 1e-5, "per-step BN + LSLR meta-gradient: relative error " + relErr(got, fd));
    }

    @Test
    void learnedRatesAtTheirStartGiveMamlsNetworkGradient() {
        Learner l = new MlpLearner(MLP);
        double[] theta = MLP.initialParams(7);
        Maml lslr = (Maml) Algorithms.of(AlgorithmSpec.of("maml", 2, ALPHA).withLslr(), MLP);
        double[] got = lslr.adapt(l, lslr.initialize(theta), at(0)).metaGradient();
        double[] plain = new Maml(Maml.Options.sgd(2, ALPHA)).adapt(l, theta, at(0)).metaGradient();
        double[] net = java.util.Arrays.copyOf(got, theta.length);
        assertTrue(relErr(net, plain) <= 1e-12, "network part: relative error " + relErr(net, plain));
    }

    @Test
    void metaTestUsesEachStepsOwnRates() {
        Learner l = new MlpLearner(MLP);
        Maml m = (Maml) Algorithms.of(AlgorithmSpec.of("maml", 2, ALPHA).withLslr(), MLP);
        double[] meta = m.initialize(MLP.initialParams(9));
        java.util.Arrays.fill(meta, MLP.numParams(), MLP.numParams() + 6, 0.0); // step 0: every rate 0
        TaskEvaluation e = m.evaluate(l, meta, MLP.numParams(), at(0), 2, 3, false);
        assertEquals(e.perStep()[0], e.perStep()[1], 0.0, "step 0 with rate 0 leaves the network as it is");
        assertNotEquals(e.perStep()[1], e.perStep()[2], "step 1 has its own rates");
        assertNotEquals(e.perStep()[2], e.perStep()[3], "steps beyond k reuse the last step's rates");
    }

    @Test
    void perStepBatchNormCreditsEachStepsCopyAndIsNotAdaptedInside() {
        int k = 2;
        int p = CONV.numParams();
        List<ParamGroup> bn = CONV.paramGroups().stream().filter(ParamGroup::batchNorm).toList();
        int b = bn.stream().mapToInt(ParamGroup::length).sum();
        Task task = ConvAlgorithmsTest.task(5);
        try (Conv4Learner l = new Conv4Learner(CONV)) {
            Maml m = (Maml) Algorithms.of(AlgorithmSpec.of("fomaml", k, ALPHA).withMultiStepLoss(100).withPerStepBn(), CONV);
            double[] meta = m.initialize(CONV.initialParams(4));
            assertEquals(p + k * b, meta.length);
            double[] got = m.adapt(l, meta, task).metaGradient();
            // First order: copy j's gradient is w_j times the batch-norm part of grad L_Q(p_j), theta's own is 0.
            double[] w = new MultiStepLoss(100).weights(k, 0);
            double[] pj = java.util.Arrays.copyOf(meta, p);
            double[] g = new double[p];
            for (int j = 1; j <= k; j++) {
                l.gradient(pj, task.support(), g);
                for (ParamGroup grp : CONV.paramGroups()) {
                    if (!grp.batchNorm()) for (int i = grp.offset(); i < grp.end(); i++) pj[i] -= ALPHA * g[i];
                }
                int at = p + (j - 1) * b;
                for (ParamGroup grp : bn) { // the network at step j runs with copy j (equal to theta's at the start)
                    System.arraycopy(meta, at, pj, grp.offset(), grp.length());
                    at += grp.length();
                }
                l.gradient(pj, task.query(), g);
                at = p + (j - 1) * b;
                for (ParamGroup grp : bn) {
                    for (int i = grp.offset(); i < grp.end(); i++, at++) {
                        assertEquals(w[j - 1] * g[i], got[at], 1e-12, "copy " + j + " of " + grp.name());
                        assertEquals(0.0, got[i], 0.0, "theta's own " + grp.name());
                    }
                }
            }
        }
    }
}
