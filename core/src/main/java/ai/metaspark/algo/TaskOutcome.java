package ai.metaspark.algo;

/**
 * What one task contributes to a meta-step.
 *
 * @param metaGradient the direction the outer optimizer descends, over the full meta-parameter vector (for Reptile,
 *                     {@code theta - theta'}, so that outer SGD with rate 1 lands on the adapted parameters)
 * @param preLoss      query loss before adaptation
 * @param postLoss     query loss after the inner loop
 * @param preAccuracy  query accuracy before adaptation (classification; 0 for regression)
 * @param postAccuracy query accuracy after the inner loop (classification; 0 for regression)
 */
public record TaskOutcome(double[] metaGradient, double preLoss, double postLoss, double preAccuracy, double postAccuracy) {
    /** A regression outcome: no accuracies (recorded as 0). */
    public TaskOutcome(double[] metaGradient, double preLoss, double postLoss) {
        this(metaGradient, preLoss, postLoss, 0, 0);
    }
}
