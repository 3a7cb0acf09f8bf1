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

    /**
     * The shape of each example where examples are square images (channel-major, then row-major), which
     * convolutional networks need; empty where they are not images.
     */
    default Optional<ImageShape> imageShape() {
        return Optional.empty();
    }

    /** The training split as one labelled data set, where the family has one (the transfer baseline needs it). */
    default Optional<LabelledExamples> trainingExamples() {
        return Optional.empty();
    }
}
