/**
 * Bytes and paths: the Hadoop {@link org.apache.hadoop.fs.FileSystem} of a path and atomic writes
 * ({@link ai.metaspark.io.Files}), JSON ({@link ai.metaspark.io.Json}) and raw double vectors
 * ({@link ai.metaspark.io.Vectors}).
 */
package ai.metaspark.io;
