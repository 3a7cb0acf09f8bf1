package ai.metaspark.train;

import java.io.Serializable;

/**
 * What one meta-step leaves for the metrics log: mean losses and accuracies of its tasks, the meta-gradient's norm
 * before clipping and the learning rate it was taken with.
 */
public record StepRecord(double preLoss, double postLoss, double preAccuracy, double postAccuracy, double gradNorm,
                         double learningRate) implements Serializable {
    private static final long serialVersionUID = 1L;
}
