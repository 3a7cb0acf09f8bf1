/**
 * The distributed meta-step on Spark. The driver ({@link ai.metaspark.spark.SparkTaskRunner}) broadcasts the typed
 * {@code Experiment} once. A segment of several steps is one barrier job ({@link ai.metaspark.spark.BarrierSegment}):
 * every barrier task adapts its slice of each step's meta-batch and all-reduces its exact partial sum through the
 * driver ({@link ai.metaspark.spark.allreduce}), so each takes the same outer step. Single steps (and dynamic
 * allocation) broadcast the meta-parameters and {@code treeReduce} one exact
 * {@link ai.metaspark.train.MetaGradientAccumulator} per partition (its tasks adapted at once: side by side where the
 * learner can). Executors keep one
 * {@link ai.metaspark.spark.Worker} per JVM and run (experiment and data loaded once, one learner per task thread).
 * {@link ai.metaspark.spark.SparkRuntime} builds the context (embedded {@code local[*]} by default) and
 * {@link ai.metaspark.spark.MetaSparkKryoRegistrator} registers every class that crosses the wire.
 */
package ai.metaspark.spark;
