/**
 * The run folder and checkpoints, through the Hadoop FileSystem API (any {@code file://}, {@code hdfs://},
 * {@code s3a://} path). Files are written atomically (temporary then rename); no Java serialization.
 */
package ai.metaspark.io;
