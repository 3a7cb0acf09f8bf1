package ai.metaspark.algo;

import ai.metaspark.model.Learner;
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
 * </ul>
 */
public final class Maml extends UniformInnerSgd {
    private static final long serialVersionUID = 1L;
    private final boolean firstOrder;
    private final boolean msl;
    private final int mslAnnealSteps;
    private final int firstOrderSteps;

    public Maml(int innerSteps, double innerLr, boolean firstOrder) {
        this(innerSteps, innerLr, firstOrder, false, 1, 0);
    }

    /** With the MAML++ options: multi-step loss annealed over {@code mslAnnealSteps}, first order before {@code firstOrderSteps}. */
    public Maml(int innerSteps, double innerLr, boolean firstOrder, boolean msl, int mslAnnealSteps, int firstOrderSteps) {
        super(innerSteps, innerLr);
        this.firstOrder = firstOrder;
        this.msl = msl;
        this.mslAnnealSteps = Math.max(1, mslAnnealSteps);
        this.firstOrderSteps = firstOrderSteps;
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
    public TaskOutcome adapt(Learner learner, double[] theta, Task task) {
        boolean firstOrder = this.firstOrder || task.spec().step() < firstOrderSteps;
        double[] w = msl ? mslWeights(innerSteps, task.spec().step(), mslAnnealSteps) : null;
        double[] g = new double[theta.length];
        double[][] path = innerPath(learner, theta, task, g);
        double[] pre = learner.lossAndAccuracy(theta, task.query());
        double[] v = new double[theta.length];
        double post = learner.gradient(path[innerSteps], task.query(), v);
        if (w != null) {
            for (int k = 0; k < v.length; k++) v[k] *= w[innerSteps - 1];
        }
        for (int j = innerSteps - 1; j >= 0; j--) {
            if (!firstOrder) {
                learner.hessianVector(path[j], task.support(), v, g);
                for (int k = 0; k < v.length; k++) v[k] -= innerLr * g[k];
            }
            if (w != null && j >= 1) { // multi-step loss: the query loss after inner step j, weighted
                learner.gradient(path[j], task.query(), g);
                for (int k = 0; k < v.length; k++) v[k] += w[j - 1] * g[k];
            }
        }
        return new TaskOutcome(v, pre[0], post, pre[1], learner.accuracyOrZero(path[innerSteps], task.query()));
    }

    /**
     * theta_0 = theta, ..., theta_k: the parameters before and after each inner step on the support set
     * ({@code g} is scratch for the gradients).
     */
    private double[][] innerPath(Learner learner, double[] theta, Task task, double[] g) {
        InnerSgd inner = InnerSgd.uniform(innerLr);
        double[][] path = new double[innerSteps + 1][];
        path[0] = theta;
        for (int j = 0; j < innerSteps; j++) {
            learner.gradient(path[j], task.support(), g);
            path[j + 1] = inner.step(path[j], g);
        }
        return path;
    }
}
