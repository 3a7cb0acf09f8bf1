package ai.metaspark.eval;

import java.io.Serializable;

/**
 * One held-out task's result.
 *
 * @param curve       query loss after 0, 1, ... inner steps
 * @param adaptMillis wall time of the inner loop (inner_steps steps on the support set)
 */
public record TaskEvaluation(double[] curve, double adaptMillis) implements Serializable {
}
