package ai.metaspark.train;

import ai.metaspark.eval.TaskEvaluation;
import ai.metaspark.task.TaskSpec;

import java.util.List;

/**
 * Runs the per-task work of a meta-step or of an evaluation: in this process over threads
 * ({@link LocalTaskRunner}), or on a Spark cluster (spark-jobs). Both must give the same bits.
 */
public interface TaskRunner extends AutoCloseable {
    /** The summed outcomes of the training tasks {@code specs} at meta-parameters {@code meta}. */
    MetaGradientAccumulator metaGradient(double[] meta, List<TaskSpec> specs);

    /** Adaptation curves of held-out tasks, in the order of {@code specs}. */
    List<TaskEvaluation> evaluate(double[] meta, List<TaskSpec> specs);

    @Override
    void close();
}
