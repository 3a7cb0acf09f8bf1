package ai.metaspark.spark;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What the Spark configuration leaves to the cluster and what it sets for runs on this machine. */
class SparkRuntimeTest {
    @Test
    void localRunsHaveNoUiAndLocalClusterExecutorsGetTheLaunchersClassPath() {
        SparkConf local = SparkRuntime.conf("local[2]", "t");
        assertEquals("false", local.get("spark.ui.enabled"));
        assertFalse(local.contains("spark.executor.extraClassPath"));
        SparkConf localCluster = SparkRuntime.conf("local-cluster[2,1,1024]", "t");
        assertEquals(System.getProperty("java.class.path"), localCluster.get("spark.executor.extraClassPath"));
    }

    @Test
    void clusterMastersKeepTheClustersUiAndClassPathSettings() {
        SparkConf cluster = SparkRuntime.conf("spark://127.0.0.1:7077", "t");
        assertFalse(cluster.contains("spark.ui.enabled"), "the Spark UI and event logs follow the cluster's settings");
        assertFalse(cluster.contains("spark.executor.extraClassPath"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", cluster.get("spark.serializer"));
    }
}
