/**
 * The run folder and its checkpoints, through the Hadoop FileSystem API (any {@code file://}, {@code hdfs://},
 * {@code s3a://} path): {@link ai.metaspark.run.RunFolder} stores the {@link ai.metaspark.recipe.Recipe}, the metrics
 * log, the results and the checkpoints ({@link ai.metaspark.run.Checkpoints}, with the
 * {@link ai.metaspark.run.Provenance} of each), refuses to resume with a recipe that would give other results, and
 * writes every file but the log atomically (temporary then rename); no Java serialization.
 */
package ai.metaspark.run;
