package ai.metaspark.algo;

import ai.metaspark.eval.TaskEvaluation;
import ai.metaspark.model.Learner;
import ai.metaspark.task.Task;

import java.io.Serializable;

/**
 * A meta-learning algorithm. Stateless and serializable: all state is the meta-parameter vector, which is the
 * network's flat parameters, possibly followed by algorithm parameters (Meta-SGD's learning rates).
 */
public interface MetaAlgorithm extends Serializable {
    /** The meta-parameters to start from, given the network's initial parameters. */
    double[] initialize(double[] theta);

    /** Runs the inner loop on the task and returns its meta-gradient and metrics. */
    TaskOutcome adapt(Learner learner, double[] meta, Task task);

    /** The network parameters inside the meta-parameters (a copy). */
    default double[] networkParams(double[] meta, int numParams) {
        return java.util.Arrays.copyOf(meta, numParams);
    }

    /** How a test task is adapted: the inner loop used at meta-test time. */
    InnerSgd testTimeInner(double[] meta, int numParams);

    /**
     * Meta-test of one task: the query loss (or with {@code accuracy}, the query accuracy) after 0..curveSteps steps
     * of {@link #testTimeInner}, and the wall time of the first {@code postStep} steps (the adaptation itself; the
     * query evaluations along the curve are not counted). One pass: the curve's steps are the adaptation's.
     */
    default TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int postStep, int curveSteps,
                                    boolean accuracy) {
        double[] current = networkParams(meta, numParams);
        InnerSgd inner = testTimeInner(meta, numParams);
        double[] curve = new double[curveSteps + 1];
        double[] g = new double[current.length];
        long nanos = 0;
        for (int j = 0; j <= curveSteps; j++) {
            curve[j] = accuracy ? learner.accuracy(current, task.query()) : learner.loss(current, task.query());
            if (j < curveSteps) {
                long t0 = System.nanoTime();
                learner.gradient(current, task.support(), g);
                current = inner.step(current, g);
                if (j < postStep) nanos += System.nanoTime() - t0;
            }
        }
        return new TaskEvaluation(curve, nanos / 1e6);
    }
}
