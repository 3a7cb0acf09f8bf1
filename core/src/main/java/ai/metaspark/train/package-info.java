/**
 * Training an {@link ai.metaspark.train.Experiment} (the typed values a recipe becomes): the outer loop
 * ({@link ai.metaspark.train.MetaTrainer} with its segments, {@link ai.metaspark.train.OuterLoop} for the steps
 * themselves), the exact order-independent {@link ai.metaspark.train.MetaGradientAccumulator}, and the in-process
 * {@link ai.metaspark.train.LocalTaskRunner}; Spark runners live in spark-jobs behind
 * {@link ai.metaspark.train.TaskRunner}.
 */
package ai.metaspark.train;
