package ai.metaspark.algo;

/**
 * What one task contributes to a meta-step.
 *
 * @param metaGradient the direction the outer optimizer descends, over the full meta-parameter vector (for Reptile,
 *                     {@code theta - theta'}, so that outer SGD with rate 1 lands on the adapted parameters)
 * @param preLoss      query loss before adaptation
 * @param postLoss     query loss after the inner loop
 */
public record TaskOutcome(double[] metaGradient, double preLoss, double postLoss) {
}
