/**
 * Integration tests on real clusters started from Maven jars alone: a standalone Master with two Workers, HDFS
 * ({@code MiniDFSCluster}) and YARN ({@code MiniYARNCluster}), all on 127.0.0.1. On the standalone cluster and YARN,
 * jobs go in through {@code SparkSubmit} with the slim cluster jar, as a user's {@code spark-submit} would send them,
 * onto JVMs that have only Spark, Hadoop and Scala ({@code Cluster.clusterClassPath()}).
 */
package ai.metaspark.it;
