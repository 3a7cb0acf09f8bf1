package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Task;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A meta-learning algorithm. Stateless and serializable: all state is the meta-parameter vector, which is the
 * network's flat parameters, possibly followed by algorithm parameters (Meta-SGD's learning rates).
 */
public interface MetaAlgorithm extends Serializable {
    /** The meta-parameters to start from, given the network's initial parameters. */
    double[] initialize(double[] theta);

    /** Runs the inner loop on the task and returns its meta-gradient and metrics. */
    TaskOutcome adapt(Learner learner, double[] meta, Task task);

    /**
     * {@link #adapt} of the tasks of a slice, in order, with the outcomes {@code adapt} gives each task alone. An
     * algorithm that can compute them side by side (on a learner that offers {@link Learner#sideBySide()}) overrides
     * it; this one adapts them one after another.
     */
    default List<TaskOutcome> adaptAll(Learner learner, double[] meta, List<Task> tasks) {
        List<TaskOutcome> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) out.add(adapt(learner, meta, t));
        return out;
    }

    /** The network parameters inside the meta-parameters (a copy). */
    default double[] networkParams(double[] meta, int numParams) {
        return java.util.Arrays.copyOf(meta, numParams);
    }

    /**
     * Meta-test of one task: the query loss (or with {@code accuracy}, the query accuracy) after 0..evalSteps steps
     * of the algorithm's own adaptation, and the wall time of the first {@code evalInnerSteps} steps (the adaptation itself;
     * the query evaluations along the curve are not counted).
     */
    TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int evalInnerSteps, int evalSteps,
                            boolean accuracy);
}
