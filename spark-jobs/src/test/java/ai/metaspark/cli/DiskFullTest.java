package ai.metaspark.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static ai.metaspark.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disk fills up while a checkpoint is written: the run stops with exit 5 and one line that says so, the earlier
 * checkpoints survive, nothing half-written is left that could be taken for a checkpoint, and once space is freed
 * {@code --resume} ends with the bits of an uninterrupted run.
 */
class DiskFullTest {
    @TempDir
    Path tmp;

    @AfterEach
    void freeTheDisk() {
        FullDiskFileSystem.free();
    }

    @Test
    void aDiskFullWhileCheckpointingKeepsThePreviousCheckpointAndResumeGivesTheSameBits() throws IOException {
        Path recipe = Files.writeString(tmp.resolve("r.yaml"), "meta_steps: 40\nmeta_batch: 4\nseed: 5\neval_tasks: 10\n"
                + "checkpoint_every: 10\nkeep_checkpoints: 4\nval_every: 10\nhidden: [8, 8]\nlog_every: 5\n");
        Path reference = tmp.resolve("reference");
        assertEquals(0, cli("train", "--config", recipe.toString(), "--out", reference.toString(), "--in-process").code());

        Path run = tmp.resolve("run");
        String out = "fulldisk://" + run;
        FullDiskFileSystem.fillWhileWriting("step-000000030/", 1000); // a part of that checkpoint's state.bin fits
        CliTest.Result r = cli("train", "--config", recipe.toString(), "--out", out, "--in-process");
        assertEquals(ExitCodes.INFRASTRUCTURE, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("metaspark: cannot write the checkpoint of step 30 under "), lines.get(0));
        assertTrue(lines.get(0).contains("No space left on device"), lines.get(0));
        assertTrue(lines.get(0).endsWith("checkpoints before it are kept"), lines.get(0));
        assertEquals(List.of("step-000000010", "step-000000020"), names(run.resolve("checkpoints")), "whole checkpoints only");
        assertFalse(Files.exists(run.resolve("meta-params.bin")));

        FullDiskFileSystem.free();
        CliTest.Result resumed = cli("train", "--config", recipe.toString(), "--out", out, "--in-process", "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertArrayEquals(Files.readAllBytes(reference.resolve("meta-params.bin")), Files.readAllBytes(run.resolve("meta-params.bin")));
    }

    /** Every entry of a folder, hidden ones included, sorted. */
    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
