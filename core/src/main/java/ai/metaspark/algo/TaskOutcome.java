package ai.metaspark.algo;

/**
 * What one task contributes to a meta-step.
 *
 * @param metaGradient the direction the outer optimizer descends, over the full meta-parameter vector (for Reptile,
 *                     {@code theta - theta'}, so that outer SGD with rate 1 lands on the adapted parameters)
 * @param preLoss      loss before adaptation: on the query set, except for the MAML family ({@link Maml}), which
 *                     reports the support set's (its first inner step computes it; labels are drawn per task, so
 *                     it estimates the same quantity, and the MAML reference code logs it so)
 * @param postLoss     query loss after the inner loop
 * @param preAccuracy  accuracy before adaptation, on the same set as {@code preLoss} (classification; 0 for regression)
 * @param postAccuracy query accuracy after the inner loop (classification; 0 for regression)
 */
public record TaskOutcome(double[] metaGradient, double preLoss, double postLoss, double preAccuracy, double postAccuracy) {
    /** A regression outcome: no accuracies (recorded as 0). */
    public TaskOutcome(double[] metaGradient, double preLoss, double postLoss) {
        this(metaGradient, preLoss, postLoss, 0, 0);
    }
}
