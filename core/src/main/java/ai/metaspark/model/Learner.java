package ai.metaspark.model;

import ai.metaspark.task.Batch;

import java.util.Optional;

/**
 * Loss, gradient, Hessian-vector product and predictions of one network over a flat parameter vector. The loss is the
 * mean over the batch. Instances keep scratch buffers: one per thread, never shared.
 */
public interface Learner {
    /** Whether the loss is softmax cross-entropy on one-hot targets (so accuracy is meaningful). */
    boolean isClassifier();

    /** Mean loss of {@code params} on {@code data}. */
    double loss(double[] params, Batch data);

    /** Writes the gradient of the mean loss into {@code grad} and returns the loss. */
    double gradient(double[] params, Batch data, double[] grad);

    /**
     * {@link #gradient}, and {@link #accuracyOrZero} at the same parameters and data: {@code {loss, accuracy}}. A learner
     * that keeps the pass's outputs overrides it to take the accuracy from them instead of looking the pass up again.
     */
    default double[] gradientAndAccuracy(double[] params, Batch data, double[] grad) {
        double loss = gradient(params, data, grad);
        return new double[] {loss, accuracyOrZero(params, data)};
    }

    /**
     * This learner computing the tasks of a slice side by side, where it can ({@link SliceLearner}); empty when it
     * computes one task at a time (callers then use {@link SliceLearner#oneByOne}).
     */
    default Optional<SliceLearner> sideBySide() {
        return Optional.empty();
    }

    /** Writes {@code H v} into {@code out}, H being the Hessian of the mean loss at {@code params}. */
    void hessianVector(double[] params, Batch data, double[] v, double[] out);

    /** Network outputs, row-major {@code [n, outputs]}. */
    double[] predict(double[] params, Batch data);

    /** {@code {loss, accuracy}} of {@code params} on {@code data}; the accuracy is 0 for regression networks. */
    default double[] lossAndAccuracy(double[] params, Batch data) {
        return new double[] {loss(params, data), isClassifier() ? accuracy(params, data) : 0};
    }

    /** {@link #accuracy} for classifiers, 0 for regression networks. */
    default double accuracyOrZero(double[] params, Batch data) {
        return isClassifier() ? accuracy(params, data) : 0;
    }

    /** Fraction of rows whose largest output is at the target's largest entry (classification; one-hot targets). */
    default double accuracy(double[] params, Batch data) {
        return Learners.accuracy(predict(params, data), data);
    }
}
