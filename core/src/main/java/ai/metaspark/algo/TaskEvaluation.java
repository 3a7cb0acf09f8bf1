package ai.metaspark.algo;

import java.io.Serializable;

/**
 * One held-out task's result.
 *
 * @param perStep     query loss (or accuracy) after 0, 1, ... inner steps
 * @param adaptMillis wall time of the adaptation (the first eval_inner_steps inner steps on the support set; ProtoNets: the
 *                    embedding and prototypes)
 */
public record TaskEvaluation(double[] perStep, double adaptMillis) implements Serializable {
}
