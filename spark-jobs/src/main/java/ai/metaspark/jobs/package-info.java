/**
 * The driver programs the commands run: {@link ai.metaspark.jobs.TrainJob} (a run folder from a recipe, through Spark
 * or in-process, resumable), {@code TransferTraining} (the transfer baseline's classifier, trained with DL4J Spark's
 * parameter averaging or in-process), and the benches that print tables ({@code SinusoidBench}, {@code Conv4Bench},
 * {@code MamlBench}, {@code SparkBench}, {@code TransferBench}).
 */
package ai.metaspark.jobs;
