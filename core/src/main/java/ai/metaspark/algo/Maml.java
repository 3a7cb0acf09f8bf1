package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.model.NetworkSpec;
import ai.metaspark.task.Task;

/**
 * MAML (Finn, Abbeel and Levine 2017, "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks").
 * Inner loop {@code theta_{j+1} = theta_j - alpha grad L_S(theta_j)}, j = 0..k-1; meta-objective {@code L_Q(theta_k)}.
 *
 * <p>Second order (the default) differentiates through every inner step, from the last back:
 * {@code v = grad L_Q(theta_k)}, then {@code v <- v - alpha H_S(theta_j) v} for j = k-1..0, and returns v. Memory is
 * the k+1 parameter vectors; each Hessian-vector product is recomputed from {@code theta_j}. First order
 * (Finn et al., section 5.2) drops the Hessian terms and returns {@code grad L_Q(theta_k)}.
 *
 * <p>Two MAML++ options (Antoniou, Edwards and Storkey 2019, "How to train your MAML"), off by default:
 * <ul>
 *   <li><b>multi-step loss</b> ({@code msl}): the meta-objective is {@code sum_{j=1..k} w_j L_Q(theta_j)} with the
 *       weights of {@link #mslWeights}: uniform 1/k at step 0, the non-final ones annealed linearly to 0.03/k over
 *       {@code msl_anneal_steps} meta-steps (the final one takes the rest). Backward:
 *       {@code v = w_k grad L_Q(theta_k)}, then for j = k-1..0 {@code v <- v - alpha H_S(theta_j) v} and, for
 *       j >= 1, {@code v <- v + w_j grad L_Q(theta_j)} (first order: {@code v = sum_j w_j grad L_Q(theta_j)}).</li>
 *   <li><b>derivative-order annealing</b> ({@code first_order_steps}): meta-steps before this one use the first-order
 *       gradient, later ones the second-order one (the meta-step is the task's {@code TaskSpec.step}).</li>
 *   <li><b>learned per-layer per-step inner rates</b> ({@code lslr}) and <b>per-step batch norm</b>
 *       ({@code per_step_bn}): extra meta-parameters, see {@link PerStepInner}. With them the network at step j runs
 *       with {@code p_j} (its batch norm swapped for step j's) and the backward pass, at each step j from k-1 down to 0
 *       with {@code v = dL/dp_{j+1}}, first moves v's batch-norm part to step j+1's copy, adds
 *       {@code -sum_{k in layer} g_j[k] v[k]} to each layer's rate of step j, and then takes
 *       {@code v <- v - H_S(p_j) (alpha_j . v)}.</li>
 * </ul>
 */
public final class Maml extends UniformInnerSgd {
    private static final long serialVersionUID = 1L;
    private final boolean firstOrder;
    private final boolean msl;
    private final int mslAnnealSteps;
    private final int firstOrderSteps;
    private final PerStepInner perStep;

    public Maml(int innerSteps, double innerLr, boolean firstOrder) {
        this(innerSteps, innerLr, firstOrder, false, 1, 0);
    }

    /** With the MAML++ options: multi-step loss annealed over {@code mslAnnealSteps}, first order before {@code firstOrderSteps}. */
    public Maml(int innerSteps, double innerLr, boolean firstOrder, boolean msl, int mslAnnealSteps, int firstOrderSteps) {
        this(innerSteps, innerLr, firstOrder, msl, mslAnnealSteps, firstOrderSteps, PerStepInner.none(innerSteps, innerLr));
    }

    /** With all MAML++ options, {@code lslr} and {@code perStepBn} for the network {@code net} (null when both are off). */
    public Maml(int innerSteps, double innerLr, boolean firstOrder, boolean msl, int mslAnnealSteps, int firstOrderSteps,
                NetworkSpec net, boolean lslr, boolean perStepBn) {
        this(innerSteps, innerLr, firstOrder, msl, mslAnnealSteps, firstOrderSteps,
                PerStepInner.of(net, innerSteps, innerLr, lslr, perStepBn));
    }

    private Maml(int innerSteps, double innerLr, boolean firstOrder, boolean msl, int mslAnnealSteps, int firstOrderSteps,
                 PerStepInner perStep) {
        super(innerSteps, innerLr);
        this.firstOrder = firstOrder;
        this.msl = msl;
        this.mslAnnealSteps = Math.max(1, mslAnnealSteps);
        this.firstOrderSteps = firstOrderSteps;
        this.perStep = perStep;
    }

    /**
     * The multi-step-loss weights {@code w_1..w_k} (index j-1) at meta-step {@code step}: with
     * {@code f = min(step / annealSteps, 1)}, each non-final weight is {@code max((1 - f) / k, 0.03 / k)} and the final
     * one {@code 1 - (k - 1)} times that, so they always sum to 1 (MAML++'s schedule, per step instead of per epoch).
     */
    public static double[] mslWeights(int k, long step, int annealSteps) {
        double f = Math.min((double) step / Math.max(1, annealSteps), 1);
        double nonFinal = Math.max((1 - f) / k, 0.03 / k);
        double[] w = new double[k];
        java.util.Arrays.fill(w, nonFinal);
        w[k - 1] = 1 - (k - 1) * nonFinal;
        return w;
    }

    @Override
    public double[] initialize(double[] theta) {
        return perStep.initialize(theta);
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] meta, Task task) {
        boolean firstOrder = this.firstOrder || task.spec().step() < firstOrderSteps;
        double[] w = msl ? mslWeights(innerSteps, task.spec().step(), mslAnnealSteps) : null;
        int p = meta.length - perStep.extraLength();
        InnerSgd[] steps = new InnerSgd[innerSteps];
        for (int j = 0; j < innerSteps; j++) steps[j] = perStep.inner(meta, j);
        double[][] grads = new double[innerSteps][];
        double[][] path = innerPath(learner, meta, p, task, steps, grads);
        double[] pre = learner.lossAndAccuracy(path[0], task.query());
        double[] out = perStep.active() ? new double[meta.length] : null;
        double[] v = new double[p];
        double[] g = new double[p];
        double post = learner.gradient(path[innerSteps], task.query(), v);
        if (w != null) {
            for (int k = 0; k < v.length; k++) v[k] *= w[innerSteps - 1];
        }
        for (int j = innerSteps - 1; j >= 0; j--) {
            perStep.creditBatchNorm(v, j + 1, out);
            perStep.creditRates(grads[j], v, j, out);
            if (!firstOrder) backThroughStep(learner, steps[j], path[j], task, v, g);
            if (w != null && j >= 1) { // multi-step loss: the query loss after inner step j, weighted
                learner.gradient(path[j], task.query(), g);
                for (int k = 0; k < v.length; k++) v[k] += w[j - 1] * g[k];
            }
        }
        if (out != null) System.arraycopy(v, 0, out, 0, p);
        return new TaskOutcome(out != null ? out : v, pre[0], post, pre[1], learner.accuracyOrZero(path[innerSteps], task.query()));
    }

    /** {@code v <- v - H_S(p_j) (alpha_j . v)}; with one rate, {@code v - alpha H_S(p_j) v} ({@code g} is scratch). */
    private void backThroughStep(Learner learner, InnerSgd step, double[] pj, Task task, double[] v, double[] g) {
        if (perStep.lslr()) {
            double[] scaled = new double[v.length];
            step.scale(v, scaled);
            learner.hessianVector(pj, task.support(), scaled, g);
            for (int k = 0; k < v.length; k++) v[k] -= g[k];
        } else {
            learner.hessianVector(pj, task.support(), v, g);
            for (int k = 0; k < v.length; k++) v[k] -= innerLr * g[k];
        }
    }

    /**
     * p_0, ..., p_k: the parameters the network runs with before and after each inner step on the support set;
     * step j is {@code steps[j]}; {@code grads[j]} receives the support gradient at p_j (kept for LSLR, else one
     * scratch array).
     */
    private double[][] innerPath(Learner learner, double[] meta, int p, Task task, InnerSgd[] steps, double[][] grads) {
        double[][] path = new double[innerSteps + 1][];
        double[] u = meta.length == p ? meta : java.util.Arrays.copyOf(meta, p);
        path[0] = perStep.forward(meta, u, 0);
        double[] scratch = perStep.lslr() ? null : new double[p];
        for (int j = 0; j < innerSteps; j++) {
            grads[j] = scratch != null ? scratch : new double[p];
            learner.gradient(path[j], task.support(), grads[j]);
            u = steps[j].step(u, grads[j]);
            path[j + 1] = perStep.forward(meta, u, j + 1);
        }
        return path;
    }

    /** Meta-test: step j's rates and batch norm (plain SGD at {@code inner_lr} without the MAML++ per-step options). */
    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int postStep, int curveSteps,
                                   boolean accuracy) {
        return InnerSgd.evaluate(learner, task, networkParams(meta, numParams), postStep, curveSteps, accuracy,
                j -> perStep.inner(meta, j), (u, j) -> perStep.forward(meta, u, j));
    }
}
