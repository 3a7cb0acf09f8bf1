package ai.metaspark.it;

import ai.metaspark.cli.MetaSparkCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/metaspark train --master 'local-cluster[2,1,1024]'}: Spark starts two executor JVMs on this machine, which
 * must find the launcher's jars (they once could not, and Spark relaunched them forever), and the run must give the
 * bits of the in-process reference trainer.
 */
class LocalClusterIT {
    @TempDir
    Path tmp;

    @Test
    void theLauncherRunsOnLocalClusterWithTheInProcessBits() throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, MetaSparkCli.run(Cluster.shortTraining(reference.toString(), "--in-process").toArray(String[]::new)));

        Path out = tmp.resolve("local-cluster");
        List<String> cmd = new ArrayList<>(List.of(Cluster.ROOT.resolve("bin/metaspark").toString()));
        cmd.addAll(Cluster.shortTraining(out.toString(), "--master", "local-cluster[2,1,1024]", "--set", "partitions=2"));
        Path log = Cluster.TARGET.resolve("it-logs/local-cluster/train.log");
        int code = Cluster.run(cmd, Cluster.sparkEnv(), log, Duration.ofMinutes(5));
        assertEquals(0, code, Cluster.tail(log));
        assertTrue(Cluster.logContains(log, "Spark local-cluster[2,1,1024]", 1), Cluster.tail(log));
        assertArrayEquals(Files.readAllBytes(reference.resolve("meta-params.bin")), Files.readAllBytes(out.resolve("meta-params.bin")));
        assertEquals(Files.readAllLines(reference.resolve("eval.json")).get(2), Files.readAllLines(out.resolve("eval.json")).get(2), "eval mean");
    }
}
