package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Task;

import java.util.Arrays;

/**
 * Meta-SGD (Li, Zhou, Chen and Li 2017, "Meta-SGD: Learning to Learn Quickly for Few-Shot Learning"). The meta-parameters
 * are {@code (theta, alpha)}, alpha one learning rate per parameter; inner loop
 * {@code theta_{j+1} = theta_j - alpha . grad L_S(theta_j)}. Exact gradients through k steps, from the last back, with
 * {@code v = grad L_Q(theta_k)}: {@code dL/dalpha -= g_j . v} and then {@code v <- v - H_S(theta_j) (alpha . v)}.
 */
public final class MetaSgd implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;
    private final int innerSteps;
    private final double initialLr;

    public MetaSgd(int innerSteps, double initialLr) {
        this.innerSteps = innerSteps;
        this.initialLr = initialLr;
    }

    @Override
    public double[] initialize(double[] theta) {
        double[] meta = Arrays.copyOf(theta, 2 * theta.length);
        Arrays.fill(meta, theta.length, meta.length, initialLr);
        return meta;
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] meta, Task task) {
        int p = meta.length / 2;
        double[] theta = Arrays.copyOf(meta, p);
        InnerSgd inner = testTimeInner(meta, p);
        double[][] path = new double[innerSteps + 1][];
        double[][] grads = new double[innerSteps][p];
        path[0] = theta;
        for (int j = 0; j < innerSteps; j++) {
            learner.gradient(path[j], task.support(), grads[j]);
            path[j + 1] = inner.step(path[j], grads[j]);
        }
        double[] pre = learner.lossAndAccuracy(theta, task.query());
        double[] out = new double[2 * p];
        double[] v = new double[p];
        double post = learner.gradient(path[innerSteps], task.query(), v);
        double[] scaled = new double[p];
        double[] hv = new double[p];
        for (int j = innerSteps - 1; j >= 0; j--) {
            for (int k = 0; k < p; k++) {
                out[p + k] -= grads[j][k] * v[k];
            }
            inner.scale(v, scaled);
            learner.hessianVector(path[j], task.support(), scaled, hv);
            for (int k = 0; k < p; k++) {
                v[k] -= hv[k];
            }
        }
        System.arraycopy(v, 0, out, 0, p);
        return new TaskOutcome(out, pre[0], post, pre[1], learner.accuracyOrZero(path[innerSteps], task.query()));
    }

    /** Meta-test: SGD with the learned per-parameter rates. */
    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int postStep, int curveSteps,
                                   boolean accuracy) {
        InnerSgd inner = testTimeInner(meta, numParams);
        return InnerSgd.evaluate(learner, task, networkParams(meta, numParams), postStep, curveSteps, accuracy,
                j -> inner, (u, j) -> u);
    }

    private static InnerSgd testTimeInner(double[] meta, int numParams) {
        return InnerSgd.perParameter(Arrays.copyOfRange(meta, numParams, 2 * numParams));
    }
}
