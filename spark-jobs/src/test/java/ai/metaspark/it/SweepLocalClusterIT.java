package ai.metaspark.it;

import ai.metaspark.cli.MetaSparkCli;
import ai.metaspark.cli.SweepCliTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/metaspark sweep --master 'local-cluster[2,1,1024]'}: trials run as tasks on two executor JVMs; one executor
 * is killed (kill -9) while its trial trains, Spark reruns that trial's task on the other, the rerun continues from the
 * trial's checkpoint, and the sweep's rows and best trial are those of the in-process sweep.
 */
class SweepLocalClusterIT {
    @TempDir
    Path tmp;

    @Test
    void anExecutorKilledDuringATrialChangesNoResult() throws Exception {
        Path base = tmp.resolve("base.yaml");
        Files.writeString(base, "algorithm: maml\ntask: sinusoid\nval_every: 0\nval_tasks: 100\ncheckpoint_every: 500\n");
        Path file = tmp.resolve("sweep.yaml");
        Files.writeString(file, "base: " + base + "\nspace:\n  inner_lr: [0.003, 0.01, 0.03, 0.1]\nscheduler: grid\nmax_budget: 4000\n");
        Path reference = tmp.resolve("reference");
        assertEquals(0, MetaSparkCli.run("sweep", "--config", file.toString(), "--out", reference.toString(), "--in-process"));

        Path out = tmp.resolve("cluster");
        Path log = Cluster.TARGET.resolve("it-logs/local-cluster/sweep-killed.log");
        Process p = Cluster.start(List.of(Cluster.ROOT.resolve("bin/metaspark").toString(), "sweep", "--config", file.toString(),
                "--out", out.toString(), "--master", "local-cluster[2,1,1024]"), Cluster.sparkEnv(), log);
        Cluster.await("a trial in the middle of its training", Duration.ofMinutes(3), () -> checkpointed(out.resolve("trials")));
        List<ProcessHandle> executors = p.descendants().filter(h -> commandLine(h).contains("CoarseGrainedExecutorBackend")).toList();
        assertEquals(2, executors.size(), "executor JVMs");
        executors.get(0).destroyForcibly();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("sweep still running after 5 minutes\n" + Cluster.tail(log));
        }
        assertEquals(0, p.exitValue(), Cluster.tail(log));
        assertTrue(Cluster.logContains(log, "Lost executor", 1), Cluster.tail(log));
        assertEquals(SweepCliTest.rows(reference), SweepCliTest.rows(out));
        assertEquals(Files.readString(reference.resolve("best.yaml")), Files.readString(out.resolve("best.yaml")));
    }

    /** Whether some trial has written a checkpoint and no result yet. */
    private static boolean checkpointed(Path trials) {
        try (Stream<Path> s = Files.list(trials)) {
            return s.anyMatch(t -> !Files.exists(t.resolve("rung-0.json")) && nonEmpty(t.resolve("checkpoints")));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean nonEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith("step-"));
        } catch (IOException e) {
            return false;
        }
    }

    private static String commandLine(ProcessHandle h) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
