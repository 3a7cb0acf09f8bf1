/**
 * The distributed meta-step on Spark. The driver ({@link ai.metaspark.spark.SparkTaskRunner}) broadcasts the resolved
 * configuration once and the meta-parameters once per step, cuts the step's task specs into contiguous partitions and
 * {@code treeAggregate}s one exact {@link ai.metaspark.train.MetaGradientAccumulator} per partition; executors keep one
 * {@link ai.metaspark.spark.Worker} per JVM (experiment and data loaded once, one learner per task thread).
 * {@link ai.metaspark.spark.SparkRuntime} builds the context (embedded {@code local[*]} by default) and
 * {@link ai.metaspark.spark.MetaSparkKryoRegistrator} registers every class that crosses the wire.
 */
package ai.metaspark.spark;
