package ai.metaspark.algo;

import java.io.Serializable;

/**
 * One held-out task's result.
 *
 * @param curve       query loss after 0, 1, ... inner steps
 * @param adaptMillis wall time of the adaptation (the post step's inner steps on the support set; ProtoNets: the
 *                    embedding and prototypes)
 */
public record TaskEvaluation(double[] curve, double adaptMillis) implements Serializable {
}
