package ai.metaspark.it;

import ai.metaspark.cli.MetaSparkCli;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark on a real YARN cluster ({@code MiniYARNCluster}: ResourceManager and NodeManager on 127.0.0.1): a short
 * training submitted through {@code SparkSubmit} in client mode with the slim cluster jar, two executors in YARN
 * containers. Driver, ApplicationMaster and executors get only what a cluster has ({@link Cluster#clusterClassPath()},
 * as {@code spark.yarn.jars}), so everything else the job needs must come from the cluster jar.
 */
class YarnClusterIT {
    @TempDir
    static Path tmp;
    static MiniYARNCluster yarn;
    static Path confDir;

    @BeforeAll
    static void startYarn() throws Exception {
        Configuration c = new YarnConfiguration();
        c.set("yarn.scheduler.capacity.root.queues", "default");
        c.set("yarn.scheduler.capacity.root.default.capacity", "100");
        c.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        c.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        c.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        yarn = new MiniYARNCluster("metaspark-it", 1, 1, 1);
        yarn.init(c);
        yarn.start();
        Cluster.await("the ResourceManager address", Duration.ofSeconds(60),
                () -> !yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0"));
        confDir = tmp.resolve("hadoop-conf");
        Files.createDirectories(confDir);
        try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
            yarn.getConfig().writeXml(out);
        }
    }

    @AfterAll
    static void stopYarn() {
        if (yarn != null) yarn.stop();
    }

    @Test
    void aShortTrainingRunsOnYarnInClientModeWithTheInProcessBits() throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, MetaSparkCli.run(Cluster.shortTraining(reference.toString(), "--in-process").toArray(String[]::new)));

        String cp = Cluster.clusterClassPath();
        String sparkJars = Arrays.stream(cp.split(File.pathSeparator)).map(e -> "local:" + e).collect(Collectors.joining(","));
        Path out = tmp.resolve("yarn");
        List<String> submit = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", "client",
                "--class", "ai.metaspark.cli.MetaSparkCli", "--num-executors", "2", "--executor-cores", "1",
                "--executor-memory", "768m", "--conf", "spark.yarn.am.memory=512m", "--conf", "spark.yarn.jars=" + sparkJars,
                // the cluster's setting: MiniYARN's web proxy (AmIpFilter) on this test class path is built against another
                // servlet API than Spark 3.5's Jetty, so the driver UI, which MetaSpark leaves to the cluster, cannot start here
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1", Cluster.clusterJar().toString()));
        submit.addAll(Cluster.shortTraining(out.toString(), "--set", "partitions=2"));
        Map<String, String> env = new HashMap<>(Cluster.sparkEnv());
        env.put("HADOOP_CONF_DIR", confDir.toString());
        env.put("YARN_CONF_DIR", confDir.toString());
        Path log = Cluster.TARGET.resolve("it-logs/yarn/submit.log");
        // spark-class puts HADOOP_CONF_DIR on the submitting JVM's class path; java -cp ... SparkSubmit must do the same
        String driverCp = confDir + File.pathSeparator + cp;
        int code = Cluster.run(Cluster.java(driverCp, "org.apache.spark.deploy.SparkSubmit", submit.toArray(String[]::new)),
                env, log, Duration.ofMinutes(6));
        assertEquals(0, code, Cluster.tail(log));
        assertTrue(Cluster.logContains(log, "Spark yarn", 1), Cluster.tail(log));
        assertArrayEquals(Files.readAllBytes(reference.resolve("meta-params.bin")), Files.readAllBytes(out.resolve("meta-params.bin")));
    }
}
