package ai.metaspark.it;

import ai.metaspark.cli.MetaSparkCli;
import ai.metaspark.spark.SparkRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real standalone cluster on 127.0.0.1 (one Master, two Workers of one core, each in its own JVM); the job goes in
 * through {@code SparkSubmit} with the slim cluster jar and must give the bits of the in-process reference trainer.
 * Daemons, driver and executors get only what a cluster has ({@link Cluster#clusterClassPath()}: Spark, Hadoop, Scala
 * and their dependencies), so everything else the job needs must come from the cluster jar.
 */
class StandaloneClusterIT {
    @TempDir
    static Path tmp;
    static final List<Process> daemons = new ArrayList<>();
    static String master;
    static String cp;
    static Path logs;

    @BeforeAll
    static void startCluster() throws Exception {
        logs = Cluster.TARGET.resolve("it-logs/standalone");
        int port = Cluster.freePort();
        master = "spark://127.0.0.1:" + port;
        cp = Cluster.clusterClassPath();
        Path masterLog = logs.resolve("master.log");
        daemons.add(Cluster.start(Cluster.daemon(cp, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", String.valueOf(Cluster.freePort())), Cluster.sparkEnv(), masterLog));
        Cluster.await("the master", Duration.ofSeconds(60), () -> Cluster.logContains(masterLog, "I have been elected leader", 1));
        for (int w = 1; w <= 2; w++) {
            daemons.add(Cluster.start(Cluster.daemon(cp, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "1500m", "--webui-port", String.valueOf(Cluster.freePort()),
                    "--work-dir", tmp.resolve("work-" + w).toString()), Cluster.sparkEnv(), logs.resolve("worker-" + w + ".log")));
        }
        Cluster.await("two workers", Duration.ofSeconds(60), () -> Cluster.logContains(masterLog, "Registering worker", 2));
    }

    @AfterAll
    static void stopCluster() {
        daemons.forEach(Process::destroyForcibly);
    }

    @Test
    void sparkSubmitWithTheClusterJarGivesTheInProcessBits() throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, MetaSparkCli.run(Cluster.shortTraining(reference.toString(), "--in-process").toArray(String[]::new)));

        Path out = tmp.resolve("cluster");
        List<String> submit = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client",
                "--class", "ai.metaspark.cli.MetaSparkCli", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.executor.extraClassPath=" + cp,
                "--conf", "spark.driver.host=127.0.0.1", Cluster.clusterJar().toString()));
        submit.addAll(Cluster.shortTraining(out.toString(), "--set", "partitions=2"));
        Path log = logs.resolve("submit.log");
        int code = Cluster.run(Cluster.java(cp, "org.apache.spark.deploy.SparkSubmit",
                submit.toArray(String[]::new)), Cluster.sparkEnv(), log, Duration.ofMinutes(5));
        assertEquals(0, code, Cluster.tail(log));
        assertTrue(Cluster.logContains(log, "Spark " + master, 1), Cluster.tail(log));

        assertArrayEquals(Files.readAllBytes(reference.resolve("meta-params.bin")), Files.readAllBytes(out.resolve("meta-params.bin")));
        assertEquals(Files.readAllLines(reference.resolve("eval.json")).get(2), Files.readAllLines(out.resolve("eval.json")).get(2), "eval mean");
        assertEquals(2, executorsRun(), "each worker ran an executor JVM");
    }

    /** Executors the cluster cannot start (more memory than a worker has): exit 5 within the bound, not a hang. */
    @Test
    void executorsThatNeverStartEndTheJobWithExitCode5() throws Exception {
        Path out = tmp.resolve("no-executors");
        List<String> submit = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client",
                "--class", "ai.metaspark.cli.MetaSparkCli", "--conf", "spark.executor.memory=64g",
                "--conf", SparkRuntime.EXECUTOR_START_TIMEOUT + "=15s",
                "--conf", "spark.driver.host=127.0.0.1", Cluster.clusterJar().toString()));
        submit.addAll(Cluster.shortTraining(out.toString()));
        Path log = logs.resolve("submit-no-executors.log");
        long t0 = System.nanoTime();
        int code = Cluster.run(Cluster.java(cp, "org.apache.spark.deploy.SparkSubmit",
                submit.toArray(String[]::new)), Cluster.sparkEnv(), log, Duration.ofMinutes(3));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(5, code, Cluster.tail(log));
        assertTrue(Cluster.logContains(log, "no executor registered with master " + master + " within 15 s", 1), Cluster.tail(log));
        assertTrue(Cluster.logContains(log, "spark.executor.memory=64g", 1), Cluster.tail(log));
        assertTrue(seconds < 90, "failed after " + seconds + " s");
        assertTrue(!Files.exists(out.resolve("eval.json")), "no result written");
    }

    /** Workers whose work folder holds an executor's stderr. */
    private static long executorsRun() throws IOException {
        long n = 0;
        for (int w = 1; w <= 2; w++) {
            try (Stream<Path> s = Files.walk(tmp.resolve("work-" + w))) {
                if (s.anyMatch(p -> p.getFileName().toString().equals("stderr"))) n++;
            }
        }
        return n;
    }
}
