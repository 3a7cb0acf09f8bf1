package ai.metaspark.task;

import java.io.Serializable;

/**
 * The small, immutable description of one task: what crosses the wire between driver and executors. The data itself
 * is made from it by a {@link TaskFamily} wherever it is needed.
 *
 * @param split which task distribution
 * @param step  the meta-step it was drawn for (0 for validation and test tasks)
 * @param index its position in the meta-batch (or in the validation/test set)
 * @param seed  the seed every random draw of the task derives from
 */
public record TaskSpec(Split split, long step, int index, long seed) implements Serializable {
}
