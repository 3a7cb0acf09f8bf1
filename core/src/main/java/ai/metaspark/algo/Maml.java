package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Task;

/**
 * MAML (Finn, Abbeel and Levine 2017, "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks"), the one
 * reverse-mode meta-gradient of every algorithm that differentiates through an inner loop (MAML, first-order MAML,
 * Meta-SGD, MAML++, and ANIL on its head).
 *
 * <p>Inner loop ({@link #forward}): {@code u_{j+1} = u_j - alpha_j . grad L_S(p_j)} for j = 0..k-1, from
 * {@code u_0 = theta}, where the network runs with {@code p_j = bn_j(u_j)} and the rates come from the
 * {@link InnerRule}. Meta-objective {@code L_Q(p_k)}. The outcome's "pre" loss and accuracy are the support set's at
 * {@code p_0} (the first inner step computes them; no extra pass), its "post" ones the query set's at {@code p_k}.
 *
 * <p>Backward recursion ({@link #backward}), second order: {@code v = grad L_Q(p_k)}, then for j = k-1..0
 * {@code v <- v - H_S(p_j) (alpha_j . v)}, returning v (and the rates' and batch-norm copies' gradients on the way).
 * Memory is the k+1 parameter vectors; each Hessian-vector product is recomputed at {@code p_j}. First order (Finn et
 * al., section 5.2) drops the Hessian terms and returns {@code grad L_Q(p_k)}.
 *
 * <p>MAML++ (Antoniou, Edwards and Storkey 2019, "How to train your MAML") options, all off by default: the
 * {@link MultiStepLoss} (the objective {@code sum_j w_j L_Q(p_j)}: backward adds {@code w_j grad L_Q(p_j)} to v at each
 * step j >= 1), derivative-order annealing ({@code firstOrderSteps}: first order before that meta-step), LSLR
 * ({@link PerTensorRates}) and per-step batch norm ({@link StepBatchNorm}). The meta-vector is
 * {@code [theta | batch-norm copies | learned rates]}.
 */
public final class Maml implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;
    private final Options o;

    /**
     * The named options of one MAML.
     *
     * @param innerSteps      k
     * @param rule            the inner update: fixed rate, Meta-SGD's or LSLR's rates
     * @param batchNorm       per-step batch norm, or {@link StepBatchNorm#none()}
     * @param multiStepLoss   the multi-step loss, or null for {@code L_Q(p_k)} alone
     * @param firstOrder      drop the Hessian terms
     * @param firstOrderSteps first order before this meta-step (derivative-order annealing; 0: never)
     */
    record Options(int innerSteps, InnerRule rule, StepBatchNorm batchNorm, MultiStepLoss multiStepLoss,
                   boolean firstOrder, int firstOrderSteps) implements java.io.Serializable {
        /** k steps of plain SGD at {@code lr}, second order, no MAML++ option. */
        static Options sgd(int innerSteps, double lr) {
            return new Options(innerSteps, InnerRule.sgd(lr), StepBatchNorm.none(), null, false, 0);
        }

        /** These options, first order. */
        Options asFirstOrder() {
            return new Options(innerSteps, rule, batchNorm, multiStepLoss, true, firstOrderSteps);
        }

        /** These options with the multi-step loss annealed over {@code annealSteps} meta-steps. */
        Options withMultiStepLoss(int annealSteps) {
            return new Options(innerSteps, rule, batchNorm, new MultiStepLoss(annealSteps), firstOrder, firstOrderSteps);
        }

        /** These options, first order before meta-step {@code steps}. */
        Options withFirstOrderSteps(int steps) {
            return new Options(innerSteps, rule, batchNorm, multiStepLoss, firstOrder, steps);
        }
    }

    Maml(Options options) {
        this.o = options;
    }

    /**
     * The inner loop: the parameters {@code p_0..p_k} the network ran with, the support gradients, each step's update,
     * and the support loss and accuracy at {@code p_0} (before adapting).
     */
    record Path(double[][] p, double[][] grads, InnerSgd[] steps, double preLoss, double preAccuracy) {
        double[] adapted() {
            return p[p.length - 1];
        }
    }

    @Override
    public double[] initialize(double[] theta) {
        double[] meta = java.util.Arrays.copyOf(theta, theta.length + o.batchNorm().extraLength() + o.rule().extraLength());
        o.batchNorm().initialize(meta);
        o.rule().initialize(meta);
        return meta;
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] meta, Task task) {
        int p = meta.length - o.batchNorm().extraLength() - o.rule().extraLength();
        Path path = forward(learner, meta, p, task);
        double[] v = new double[p];
        double[] post = learner.gradientAndAccuracy(path.adapted(), task.query(), v);
        double[] metaGradient = backward(learner, meta, task, path, v);
        return new TaskOutcome(metaGradient, path.preLoss(), post[0], path.preAccuracy(), post[1]);
    }

    /** The inner loop on the support set: p_0..p_k, and the support gradient at each p_j (one scratch array when unused). */
    Path forward(Learner learner, double[] meta, int p, Task task) {
        int k = o.innerSteps();
        double[][] ps = new double[k + 1][];
        double[][] grads = new double[k][];
        InnerSgd[] steps = new InnerSgd[k];
        double[] u = meta.length == p ? meta : java.util.Arrays.copyOf(meta, p);
        ps[0] = o.batchNorm().forward(meta, u, 0);
        double[] scratch = o.rule().extraLength() > 0 ? null : Scratch.of(0, p);
        double preLoss = 0;
        double preAccuracy = 0;
        for (int j = 0; j < k; j++) {
            steps[j] = o.rule().step(meta, j);
            grads[j] = scratch != null ? scratch : new double[p];
            if (j == 0) {
                double[] pre = learner.gradientAndAccuracy(ps[0], task.support(), grads[0]);
                preLoss = pre[0];
                preAccuracy = pre[1];
            } else {
                learner.gradient(ps[j], task.support(), grads[j]);
            }
            u = steps[j].step(u, grads[j], Scratch.of(Scratch.INNER + j, p)); // p_j+1 lives until adapt returns
            ps[j + 1] = o.batchNorm().forward(meta, u, j + 1);
        }
        return new Path(ps, grads, steps, preLoss, preAccuracy);
    }

    /**
     * From {@code v = dL_Q/dp_k} (scaled here by the last multi-step-loss weight), back through every inner step:
     * the meta-gradient over the whole meta-vector ({@code v} itself when there is nothing but theta).
     */
    double[] backward(Learner learner, double[] meta, Task task, Path path, double[] v) {
        int k = o.innerSteps();
        boolean firstOrder = o.firstOrder() || task.spec().step() < o.firstOrderSteps();
        double[] w = o.multiStepLoss() == null ? null : o.multiStepLoss().weights(k, task.spec().step());
        double[] out = meta.length > v.length ? new double[meta.length] : null;
        double[] g = Scratch.of(1, v.length);
        if (w != null) scale(v, w[k - 1]);
        for (int j = k - 1; j >= 0; j--) {
            o.batchNorm().credit(v, j + 1, out);
            o.rule().creditRates(path.grads()[j], v, j, out);
            if (!firstOrder) o.rule().backThrough(learner, path.steps()[j], path.p()[j], task.support(), v, g);
            if (w != null && j >= 1) { // multi-step loss: the query loss after inner step j, weighted
                learner.gradient(path.p()[j], task.query(), g);
                for (int i = 0; i < v.length; i++) v[i] += w[j - 1] * g[i];
            }
        }
        if (out == null) return v;
        System.arraycopy(v, 0, out, 0, v.length);
        return out;
    }

    private static void scale(double[] v, double a) {
        for (int i = 0; i < v.length; i++) v[i] *= a;
    }

    /** Meta-test: the rule's step j and step j's batch norm. */
    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int evalInnerSteps, int evalSteps,
                                   boolean accuracy) {
        return InnerSgd.evaluate(learner, task, networkParams(meta, numParams), evalInnerSteps, evalSteps, accuracy,
                j -> o.rule().step(meta, j), (u, j) -> o.batchNorm().forward(meta, u, j));
    }
}
