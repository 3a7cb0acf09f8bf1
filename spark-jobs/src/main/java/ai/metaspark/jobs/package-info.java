/**
 * The driver programs the commands run: {@link ai.metaspark.jobs.TrainJob} (a run folder from a recipe, through Spark
 * or in-process, resumable) and the benches that print tables ({@code SinusoidBench}, {@code Conv4Bench},
 * {@code SparkBench}).
 */
package ai.metaspark.jobs;
