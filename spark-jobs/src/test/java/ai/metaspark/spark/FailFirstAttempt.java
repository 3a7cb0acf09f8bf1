package ai.metaspark.spark;

import ai.metaspark.algo.MetaAlgorithm;
import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.algo.TaskOutcome;
import ai.metaspark.model.Learner;
import ai.metaspark.task.Task;
import org.apache.spark.TaskContext;

/**
 * Chaos testing, in the test tree only: an algorithm that behaves as the one it wraps, except that the first attempt
 * of the Spark task adapting one chosen task (step, index) throws. Only the first attempt of the first stage attempt
 * fails (a failed barrier stage is re-run as a new stage attempt), so a test can check that Spark's retry changes
 * nothing. Outside Spark (no task context) it never fails.
 */
final class FailFirstAttempt implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;
    private final MetaAlgorithm algorithm;
    private final long step;
    private final int index;

    FailFirstAttempt(MetaAlgorithm algorithm, long step, int index) {
        this.algorithm = algorithm;
        this.step = step;
        this.index = index;
    }

    @Override
    public double[] initialize(double[] theta) {
        return algorithm.initialize(theta);
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] meta, Task task) {
        TaskContext tc = TaskContext.get();
        boolean first = tc != null && tc.attemptNumber() == 0 && tc.stageAttemptNumber() == 0;
        if (first && task.spec().step() == step && task.spec().index() == index) {
            throw new IllegalStateException("injected failure at task " + step + ":" + index + " (attempt 0 of Spark task "
                    + tc.taskAttemptId() + ")");
        }
        return algorithm.adapt(learner, meta, task);
    }

    @Override
    public double[] networkParams(double[] meta, int numParams) {
        return algorithm.networkParams(meta, numParams);
    }

    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int evalInnerSteps,
                                   int evalSteps, boolean accuracy) {
        return algorithm.evaluate(learner, meta, numParams, task, evalInnerSteps, evalSteps, accuracy);
    }
}
