package ai.metaspark.train;

import ai.metaspark.algo.TaskEvaluation;
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

    /**
     * Runs meta-steps {@code [from, to)} of {@code experiment} from {@code meta} and {@code optimizerState}. By default
     * one {@link #metaGradient} call per step, the outer step taken here; a runner may run the whole segment elsewhere
     * as long as the bits are the same.
     */
    default Segment train(Experiment experiment, int from, int to, double[] meta, double[] optimizerState) {
        return OuterLoop.run(experiment, from, to, meta, optimizerState, this::metaGradient);
    }

    /**
     * Slice {@code i} of {@code n} contiguous, order-preserving slices of {@code items}, cut as Spark's
     * {@code parallelize} cuts: every runner gives each thread, partition or barrier task its slice this way.
     */
    static <T> List<T> slice(List<T> items, int i, int n) {
        return items.subList((int) ((long) i * items.size() / n), (int) ((long) (i + 1) * items.size() / n));
    }

    @Override
    void close();
}
