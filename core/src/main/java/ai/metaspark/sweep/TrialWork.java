package ai.metaspark.sweep;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.task.Split;

import java.io.Serializable;

/**
 * What one execution of a trial does, as it crosses the wire to an executor: train {@code recipe} in its run folder up
 * to {@code budget} meta-steps (continuing from the folder's newest checkpoint), then measure the metric.
 *
 * @param trial    the trial
 * @param rung     the rung (0 for grid and random)
 * @param budget   meta-steps to reach
 * @param recipe   the trial's recipe ({@link SweepSpec#recipe})
 * @param folder   the trial's run folder (any Hadoop path the executors can reach)
 * @param metric   the split the metric is measured on
 */
public record TrialWork(Trial trial, int rung, int budget, Recipe recipe, String folder, Split metric) implements Serializable {
}
