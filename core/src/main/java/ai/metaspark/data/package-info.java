/**
 * Real data sets behind task families. Data are read through the Hadoop FileSystem API, so a data location may be a
 * plain path, {@code file://}, {@code hdfs://} or any other configured scheme; problems with the data raise
 * {@link ai.metaspark.data.DataException}, whose message names the bad path or value.
 */
package ai.metaspark.data;
