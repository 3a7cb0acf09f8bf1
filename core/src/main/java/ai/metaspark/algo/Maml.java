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
 */
public final class Maml extends UniformInnerSgd {
    private static final long serialVersionUID = 1L;
    private final boolean firstOrder;

    public Maml(int innerSteps, double innerLr, boolean firstOrder) {
        super(innerSteps, innerLr);
        this.firstOrder = firstOrder;
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] theta, Task task) {
        InnerSgd inner = InnerSgd.uniform(innerLr);
        double[][] path = new double[innerSteps + 1][];
        path[0] = theta;
        double[] g = new double[theta.length];
        for (int j = 0; j < innerSteps; j++) {
            learner.gradient(path[j], task.support(), g);
            path[j + 1] = inner.step(path[j], g);
        }
        double[] pre = learner.lossAndAccuracy(theta, task.query());
        double[] v = new double[theta.length];
        double post = learner.gradient(path[innerSteps], task.query(), v);
        if (!firstOrder) {
            for (int j = innerSteps - 1; j >= 0; j--) {
                learner.hessianVector(path[j], task.support(), v, g);
                for (int k = 0; k < v.length; k++) {
                    v[k] -= innerLr * g[k];
                }
            }
        }
        return new TaskOutcome(v, pre[0], post, pre[1], learner.accuracyOrZero(path[innerSteps], task.query()));
    }
}
