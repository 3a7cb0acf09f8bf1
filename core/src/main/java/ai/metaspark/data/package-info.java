/**
 * Task families: generated ones ({@code sinusoid}) and real data sets ({@code omniglot}, the user's own
 * {@code image-folder}), each with the {@link ai.metaspark.recipe.TaskFamilyProvider} that registers it. Data are read through the Hadoop FileSystem API,
 * so a data location ({@link ai.metaspark.data.DataLocation}) may be a plain path, {@code file://}, {@code hdfs://} or
 * any other configured scheme; problems with the data raise {@link ai.metaspark.data.DataException}, whose message
 * names the bad path or value. Shared by the families: the per-JVM {@link ai.metaspark.data.JvmCache} of decoded data,
 * the index {@link ai.metaspark.data.Draws}, resampling {@link ai.metaspark.data.AxisWeights} and
 * {@link ai.metaspark.data.Pixels}.
 */
package ai.metaspark.data;
