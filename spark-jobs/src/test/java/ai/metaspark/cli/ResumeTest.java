package ai.metaspark.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static ai.metaspark.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --resume}: an interrupted run continues from its newest checkpoint to the same bits as an
 * uninterrupted one; a different configuration or a corrupt checkpoint is refused and nothing is overwritten.
 * An interruption is made by cutting a finished run back to what a driver killed after step 20 leaves behind.
 */
class ResumeTest {
    @TempDir
    static Path tmp;
    static Path recipe;
    static Path full;

    @BeforeAll
    static void trainUninterrupted() throws IOException {
        recipe = Files.writeString(tmp.resolve("r.yaml"), "meta_steps: 40\nmeta_batch: 4\nseed: 5\neval_tasks: 10\n"
                + "checkpoint_every: 10\nkeep_checkpoints: 4\nval_every: 10\nhidden: [8, 8]\nlog_every: 5\n");
        full = tmp.resolve("full");
        CliTest.Result r = cli("train", "--config", recipe.toString(), "--out", full.toString(), "--in-process");
        assertEquals(0, r.code(), r.err());
    }

    /** A copy of the finished run as a driver killed after checkpoint {@code step} would have left it. */
    private static Path interruptedCopy(String name, int step) throws IOException {
        Path copy = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(full)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(full.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        for (String f : List.of("eval.json", "meta-params.bin", "model.zip")) Files.delete(copy.resolve(f));
        try (Stream<Path> cps = Files.list(copy.resolve("checkpoints"))) {
            for (Path cp : cps.filter(p -> Integer.parseInt(p.getFileName().toString().substring(5)) > step).toList()) {
                deleteTree(cp);
            }
        }
        return copy;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    @Test
    void resumeGivesTheSameBitsAsAnUninterruptedRun() throws IOException {
        Path run = interruptedCopy("killed", 20);
        CliTest.Result refused = cli("train", "--config", recipe.toString(), "--out", run.toString(), "--in-process");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("unfinished run") && refused.err().contains("--resume"), refused.err());

        CliTest.Result r = cli("train", "--config", recipe.toString(), "--out", run.toString(), "--resume", "--in-process",
                "--set", "threads=2", "--set", "log_every=10");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming at step 20"), r.out());
        assertArrayEquals(Files.readAllBytes(full.resolve("meta-params.bin")), Files.readAllBytes(run.resolve("meta-params.bin")));
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(1, metrics.stream().filter(l -> l.startsWith("{\"step\":20,\"loss_pre\"")).count(), "no duplicated lines");
        assertTrue(metrics.get(metrics.size() - 1).contains("\"step\":40"), metrics.toString());
    }

    @Test
    void aDifferentConfigurationIsRefusedAndNothingChanges() throws IOException {
        Path run = interruptedCopy("other-config", 20);
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
        CliTest.Result r = cli("train", "--config", recipe.toString(), "--out", run.toString(), "--resume", "--in-process",
                "--set", "outer_lr=0.01");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("different configuration") && r.err().contains("outer_lr: 0.01 vs 0.001"), r.err());
        assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.jsonl")));
        assertFalse(Files.exists(run.resolve("eval.json")));
    }

    @Test
    void aCorruptCheckpointIsRefusedAndKeptAndFallbackIsOptIn() throws IOException {
        Path run = interruptedCopy("corrupt", 30);
        Path newest = run.resolve("checkpoints/step-000000030/state.bin");
        byte[] state = Files.readAllBytes(newest);
        state[state.length / 2] ^= 0x55;
        Files.write(newest, state);

        CliTest.Result refused = cli("train", "--config", recipe.toString(), "--out", run.toString(), "--resume", "--in-process");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("step-000000030") && refused.err().contains("--fallback-checkpoint"), refused.err());
        assertArrayEquals(state, Files.readAllBytes(newest), "the corrupt checkpoint is kept as it is");

        CliTest.Result r = cli("train", "--config", recipe.toString(), "--out", run.toString(), "--resume",
                "--fallback-checkpoint", "--in-process");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming at step 20"), r.out());
        assertArrayEquals(state, Files.readAllBytes(run.resolve("checkpoints/corrupt-step-000000030/state.bin")));
        assertArrayEquals(Files.readAllBytes(full.resolve("meta-params.bin")), Files.readAllBytes(run.resolve("meta-params.bin")));
    }

    @Test
    void resumeOnAFinishedRunDoesNothingAndOnANewFolderStartsFresh() throws IOException {
        byte[] eval = Files.readAllBytes(full.resolve("eval.json"));
        CliTest.Result done = cli("train", "--config", recipe.toString(), "--out", full.toString(), "--resume", "--in-process");
        assertEquals(0, done.code(), done.err());
        assertTrue(done.out().contains("already holds a finished run"), done.out());
        assertArrayEquals(eval, Files.readAllBytes(full.resolve("eval.json")));

        Path fresh = tmp.resolve("fresh");
        CliTest.Result r = cli("train", "--config", recipe.toString(), "--out", fresh.toString(), "--resume", "--in-process");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(full.resolve("meta-params.bin")), Files.readAllBytes(fresh.resolve("meta-params.bin")));
    }
}
