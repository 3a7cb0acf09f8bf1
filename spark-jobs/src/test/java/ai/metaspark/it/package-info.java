/**
 * Integration tests on real clusters started from Maven jars alone: a standalone Master with two Workers, HDFS
 * ({@code MiniDFSCluster}) and YARN ({@code MiniYARNCluster}), all on 127.0.0.1. Jobs go in through {@code SparkSubmit}
 * with the built jar, as a user's {@code spark-submit} would send them.
 */
package ai.metaspark.it;
