package ai.metaspark.task;

import java.io.Serializable;
import java.util.Optional;

/** A distribution over tasks. Implementations are immutable and deterministic: a spec always gives the same data. */
public interface TaskFamily extends Serializable {
    /** Features per example. */
    int inputSize();

    /** Targets per example (regression outputs, or classes). */
    int outputSize();

    /** Whether targets are one-hot classes (cross-entropy, accuracy) rather than regression values (MSE, the default). */
    default boolean classification() {
        return false;
    }

    /** The task's data: {@code support} support and {@code query} query examples. */
    Task materialize(TaskSpec spec, int support, int query);

    /** The training split as one labelled data set, where the family has one (the transfer baseline needs it). */
    default Optional<LabelledExamples> trainingExamples() {
        return Optional.empty();
    }
}
