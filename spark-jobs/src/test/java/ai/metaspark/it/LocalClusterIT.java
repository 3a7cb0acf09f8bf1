package ai.metaspark.it;

import ai.metaspark.cli.MetaSparkCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/metaspark train --master 'local-cluster[2,1,1024]'}: Spark starts two executor JVMs on this machine, which
 * must find the launcher's jars (they once could not, and Spark relaunched them forever), and the run must give the
 * bits of the in-process reference trainer, also when an executor is killed or frozen in the middle of a barrier
 * segment.
 */
class LocalClusterIT {
    private static final String MASTER = "local-cluster[2,1,1024]";
    /** The all-reduce's silence bound in the frozen-executor test (spark.metaspark.allreduce.timeout). */
    private static final int SILENCE_S = 6;
    /**
     * How the all-reduce says it gave up on a segment: a member silent for the bound (frozen in the middle of a
     * segment) or one that never joined within it (frozen as the segment's tasks were starting).
     */
    private static final String GAVE_UP = "; failing its stage so that Spark re-runs it";

    @TempDir
    Path tmp;

    @Test
    void theLauncherRunsOnLocalClusterWithTheInProcessBits() throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, MetaSparkCli.run(Cluster.shortTraining(reference.toString(), "--in-process").toArray(String[]::new)));

        Path out = tmp.resolve("local-cluster");
        Path log = Cluster.TARGET.resolve("it-logs/local-cluster/train.log");
        int code = Cluster.run(launcher(Cluster.shortTraining(out.toString(), "--master", MASTER, "--set", "partitions=2")),
                Cluster.sparkEnv(), log, Duration.ofMinutes(5));
        assertEquals(0, code, Cluster.tail(log));
        assertTrue(Cluster.logContains(log, "Spark " + MASTER, 1), Cluster.tail(log));
        assertSameBits(reference, out);
    }

    @Test
    void anExecutorKilledInTheMiddleOfASegmentChangesNoBit() throws Exception {
        Path reference = reference();
        Path out = tmp.resolve("killed");
        Path log = Cluster.TARGET.resolve("it-logs/local-cluster/killed.log");
        Process p = Cluster.start(launcher(longerTraining(out)), Cluster.sparkEnv(), log);
        ProcessHandle executor = executorInTheMiddleOfASegment(p, log);
        executor.destroyForcibly(); // kill -9
        assertTrue(executor.onExit().get(30, TimeUnit.SECONDS) != null);
        assertEquals(0, finish(p, log), Cluster.tail(log));
        assertSameBits(reference, out);
    }

    /**
     * A frozen executor (SIGSTOP: a long GC pause, a suspended VM, a partition) never answers: the all-reduce gives up
     * on its segment within {@code spark.metaspark.allreduce.timeout} (its task silent, or, frozen between segments,
     * never joining the next), failing the stage instead of hanging; once the executor thaws, Spark's retry of the
     * stage gives the bits of the uninterrupted run.
     */
    @Test
    void aFrozenExecutorFailsItsSegmentWithinTheTimeoutAndTheRetryChangesNoBit() throws Exception {
        Path reference = reference();
        Path out = tmp.resolve("frozen");
        Path log = Cluster.TARGET.resolve("it-logs/local-cluster/frozen.log");
        Map<String, String> env = new HashMap<>(Cluster.sparkEnv());
        env.put("METASPARK_JAVA_OPTS", "-Dspark.metaspark.allreduce.timeout=" + SILENCE_S + "s");
        Process p = Cluster.start(launcher(longerTraining(out)), env, log);
        ProcessHandle executor = executorInTheMiddleOfASegment(p, log);
        signal("STOP", executor);
        long frozen = System.nanoTime();
        try {
            Cluster.await("the all-reduce to give up on the frozen executor", Duration.ofSeconds(SILENCE_S + 30),
                    () -> Cluster.logContains(log, GAVE_UP, 1));
        } finally {
            signal("CONT", executor);
        }
        double seconds = (System.nanoTime() - frozen) / 1e9;
        System.out.printf("frozen executor: its segment failed %.1f s after it froze (bound %d s)%n", seconds, SILENCE_S);
        assertTrue(seconds < SILENCE_S + 10, "the segment failed " + seconds + " s after the executor froze");
        assertEquals(0, finish(p, log), Cluster.tail(log));
        assertSameBits(reference, out);
    }

    private static List<String> launcher(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Cluster.ROOT.resolve("bin/metaspark").toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** A run long enough (tens of seconds per segment) to be hit in the middle of a segment. */
    private static List<String> longerTraining(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--config", Cluster.recipe("sinusoid-maml.yaml"), "--out", out.toString(),
                "--set", "meta_steps=6000", "--set", "eval_tasks=20", "--set", "log_every=100", "--set", "partitions=2"));
        a.addAll(List.of(more));
        if (!a.contains("--in-process")) a.addAll(List.of("--master", MASTER));
        return a;
    }

    private Path reference() {
        Path reference = tmp.resolve("reference");
        assertEquals(0, MetaSparkCli.run(longerTraining(reference, "--in-process").toArray(String[]::new)));
        return reference;
    }

    /** Waits for training progress (a segment is running), then returns one of the run's executor JVMs. */
    private static ProcessHandle executorInTheMiddleOfASegment(Process launcher, Path log) throws InterruptedException {
        Cluster.await("training progress", Duration.ofMinutes(3), () -> Cluster.logContains(log, "steps/s", 1));
        List<ProcessHandle> executors = launcher.descendants()
                .filter(h -> commandLine(h).contains("CoarseGrainedExecutorBackend")).toList();
        assertEquals(2, executors.size(), "executor JVMs of the launcher");
        return executors.get(0);
    }

    /** A process's whole command line (ProcessHandle.Info leaves out one as long as an executor's class path). */
    private static String commandLine(ProcessHandle h) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline")).replace('\0', ' ');
        } catch (java.io.IOException e) {
            return ""; // ended meanwhile
        }
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor());
    }

    private static int finish(Process p, Path log) throws Exception {
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 5 minutes\n" + Cluster.tail(log));
        }
        return p.exitValue();
    }

    private static void assertSameBits(Path reference, Path out) throws Exception {
        assertArrayEquals(Files.readAllBytes(reference.resolve("meta-params.bin")), Files.readAllBytes(out.resolve("meta-params.bin")));
        assertEquals(Files.readAllLines(reference.resolve("eval.json")).get(2), Files.readAllLines(out.resolve("eval.json")).get(2), "eval mean");
    }
}
