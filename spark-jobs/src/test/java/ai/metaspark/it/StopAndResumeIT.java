package ai.metaspark.it;

import ai.metaspark.cli.MetaSparkCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM in the middle of {@code bin/metaspark train} (what YARN preemption and Kubernetes eviction send), through
 * Spark embedded: one line, exit code 6, a checkpoint of the step reached; {@code --resume} then ends with the bits of
 * an uninterrupted run.
 */
class StopAndResumeIT {
    @TempDir
    Path tmp;

    private static List<String> training(String out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--config", Cluster.recipe("sinusoid-maml.yaml"), "--out", out,
                "--set", "meta_steps=4000", "--set", "eval_tasks=20", "--set", "log_every=100"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void sigtermStopsWithACheckpointAndResumeGivesTheSameBits() throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, MetaSparkCli.run(training(reference.toString(), "--in-process").toArray(String[]::new)));

        Path out = tmp.resolve("stopped");
        List<String> cmd = new ArrayList<>(List.of(Cluster.ROOT.resolve("bin/metaspark").toString()));
        cmd.addAll(training(out.toString()));
        Path log = Cluster.TARGET.resolve("it-logs/stop/train.log");
        Process p = Cluster.start(cmd, Cluster.sparkEnv(), log);
        Cluster.await("training progress", Duration.ofMinutes(2), () -> Cluster.logContains(log, "steps/s", 1));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running 60 s after SIGTERM\n" + Cluster.tail(log));
        assertEquals(6, p.exitValue(), Cluster.tail(log));
        List<String> lines = Files.readAllLines(log);
        List<String> stopped = lines.stream().filter(l -> l.startsWith("metaspark: interrupted at step ")).toList();
        assertEquals(1, stopped.size(), Cluster.tail(log));
        assertTrue(stopped.get(0).endsWith("; continue with --resume"), stopped.get(0));
        assertTrue(lines.stream().noneMatch(l -> l.contains("Exception") || l.startsWith("\tat ")), "no stack trace\n" + Cluster.tail(log));
        String step = stopped.get(0).replaceAll("^metaspark: interrupted at step (\\d+);.*", "$1");
        assertTrue(Files.isDirectory(out.resolve("checkpoints").resolve(String.format("step-%09d", Integer.parseInt(step)))),
                "checkpoint of step " + step);

        cmd.add("--resume");
        assertEquals(0, Cluster.run(cmd, Cluster.sparkEnv(), Cluster.TARGET.resolve("it-logs/stop/resume.log"), Duration.ofMinutes(5)));
        assertArrayEquals(Files.readAllBytes(reference.resolve("meta-params.bin")), Files.readAllBytes(out.resolve("meta-params.bin")));
        assertEquals(Files.readAllLines(reference.resolve("eval.json")).get(2), Files.readAllLines(out.resolve("eval.json")).get(2), "eval mean");
    }
}
