package ai.metaspark.it;

import ai.metaspark.cli.MetaSparkCli;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints on HDFS: a driver killed (SIGKILL) in the middle of a run is resumed with {@code --resume} and ends with
 * the same bits as an uninterrupted run.
 */
class HdfsResumeIT {
    static MiniDFSCluster dfs;
    static String uri;
    static FileSystem fs;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        java.nio.file.Path base = Cluster.TARGET.resolve("minidfs");
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
        uri = "hdfs://127.0.0.1:" + dfs.getNameNodePort();
        fs = FileSystem.get(URI.create(uri), conf);
    }

    @AfterAll
    static void stopHdfs() {
        if (dfs != null) dfs.shutdown();
    }

    private static List<String> training(String out, String... more) {
        List<String> a = new java.util.ArrayList<>(Cluster.shortTraining(out, "--master", "local[2]", "--set", "meta_steps=400",
                "--set", "checkpoint_every=50", "--set", "keep_checkpoints=20", "--set", "val_every=100"));
        a.addAll(List.of(more));
        return a;
    }

    private static byte[] read(String path) throws IOException {
        try (InputStream in = fs.open(new Path(path))) {
            return in.readAllBytes();
        }
    }

    @Test
    void aKilledDriverResumesFromHdfsToTheSameBits() throws Exception {
        String full = uri + "/runs/full";
        assertEquals(0, MetaSparkCli.run(training(full).toArray(String[]::new)));

        String killed = uri + "/runs/killed";
        java.nio.file.Path log = Cluster.TARGET.resolve("it-logs/hdfs/driver.log");
        Process driver = Cluster.start(Cluster.java(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "ai.metaspark.cli.MetaSparkCli", training(killed).toArray(String[]::new)), Cluster.sparkEnv(), log);
        try {
            Cluster.await("checkpoint 100 on HDFS", Duration.ofMinutes(3), () -> exists(killed + "/checkpoints/step-000000100"));
        } finally {
            driver.destroyForcibly();
            driver.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(exists(killed + "/eval.json"), "the driver was stopped mid-run\n" + Cluster.tail(log));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = MetaSparkCli.run(training(killed, "--resume").toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String console = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, console);
        assertTrue(console.contains("resuming at step "), console);
        assertArrayEquals(read(full + "/meta-params.bin"), read(killed + "/meta-params.bin"));
    }

    private static boolean exists(String path) {
        try {
            return fs.exists(new Path(path));
        } catch (IOException e) {
            return false;
        }
    }
}
