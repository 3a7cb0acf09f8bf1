/**
 * Task families: generated ones ({@code sinusoid}) and real data sets ({@code omniglot}), each with the
 * {@link ai.metaspark.recipe.TaskFamilyProvider} that registers it. Data are read through the Hadoop FileSystem API,
 * so a data location ({@link ai.metaspark.data.DataLocation}) may be a plain path, {@code file://}, {@code hdfs://} or
 * any other configured scheme; problems with the data raise {@link ai.metaspark.data.DataException}, whose message
 * names the bad path or value.
 */
package ai.metaspark.data;
