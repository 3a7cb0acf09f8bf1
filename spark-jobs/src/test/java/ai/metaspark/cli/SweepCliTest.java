package ai.metaspark.cli;

import ai.metaspark.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code metaspark sweep}: trials as Spark tasks give the in-process rows; bad sweep files are refused before anything starts. */
public class SweepCliTest {
    @TempDir
    static Path tmp;
    static Path base;

    @BeforeAll
    static void baseRecipe() throws IOException {
        base = tmp.resolve("base.yaml");
        Files.writeString(base, "algorithm: maml\ntask: sinusoid\nmeta_batch: 10\nval_every: 0\nval_tasks: 50\ncheckpoint_every: 100\n");
    }

    private static Path sweepFile(String name, String body) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, "base: " + base + "\n" + body);
        return f;
    }

    @Test
    void trialsRunAsSparkTasksGiveTheInProcessRowsAndTheSameBest() throws IOException {
        Path f = sweepFile("halving", "space:\n  inner_lr: {log_uniform: [0.001, 1.0]}\n  algorithm: [maml, fomaml]\n"
                + "scheduler: halving\ntrials: 6\neta: 2\nmin_budget: 50\nmax_budget: 200\nseed: 11\n");
        Path spark = tmp.resolve("spark");
        CliTest.Result r = CliTest.cli("sweep", "--config", f.toString(), "--out", spark.toString(), "--master", "local[2]");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Spark local[2], 2 trial(s) at a time") && r.out().contains("best: t00"), r.out());
        Path local = tmp.resolve("local");
        assertEquals(0, CliTest.cli("sweep", "--config", f.toString(), "--out", local.toString(), "--in-process").code());
        assertEquals(rows(local), rows(spark));
        assertEquals(best(local), best(spark));
        assertEquals(6 + 3 + 1, Files.readAllLines(spark.resolve("trials.jsonl")).size()); // rungs of 6, 3 and 1

        CliTest.Result again = CliTest.cli("sweep", "--config", f.toString(), "--out", local.toString(), "--in-process", "--resume");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming: 10 trial result(s) recorded"), again.out());
        assertEquals(best(spark), best(local));
        CliTest.Result refused = CliTest.cli("sweep", "--config", f.toString(), "--out", local.toString(), "--in-process");
        assertEquals(ExitCodes.BAD_CONFIG, refused.code());
        assertTrue(refused.err().contains("already holds a sweep") && refused.err().contains("--resume"), refused.err());
        Files.writeString(f, Files.readString(f).replace("seed: 11", "seed: 12"));
        CliTest.Result other = CliTest.cli("sweep", "--config", f.toString(), "--out", local.toString(), "--in-process", "--resume");
        assertEquals(ExitCodes.BAD_CONFIG, other.code());
        assertTrue(other.err().contains("refusing to resume: the sweep file differs"), other.err());
    }

    /** trials.jsonl without the wall times, which differ from run to run. */
    public static String rows(Path sweep) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String line : Files.readAllLines(sweep.resolve("trials.jsonl"))) {
            Map<?, ?> row = Json.MAPPER.readValue(line, Map.class);
            row.remove("wall_s");
            s.append(Json.line(row)).append('\n');
        }
        return s.toString();
    }

    private static String best(Path sweep) throws IOException {
        return Files.readString(sweep.resolve("best.yaml"));
    }

    @Test
    void badSweepFilesAreRefusedByNameWithExit2AndNothingWritten() throws IOException {
        String[][] cases = {
                {"space:\n  inner_rate: [0.1]\n", "inner_rate"},
                {"space: {}\n", "search space is empty"},
                {"space:\n  inner_lr: {uniform: [0.5, 0.5]}\n", "low 0.5 must be below high 0.5"},
                {"space:\n  inner_lr: {log_uniform: [0.0, 1.0]}\n", "must be above 0 for a log scale"},
                {"space:\n  inner_lr: [0.1]\nscheduler: halving\neta: 1\n", "eta 1 must be at least 2"},
                {"space:\n  inner_lr: [0.1]\nscheduler: halving\nmin_budget: 500\nmax_budget: 100\n", "min_budget 500 is larger than max_budget 100"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path out = tmp.resolve("bad-" + i);
            CliTest.Result r = CliTest.cli("sweep", "--config", sweepFile("bad" + i, cases[i][0]).toString(), "--out", out.toString(), "--in-process");
            assertEquals(ExitCodes.BAD_CONFIG, r.code(), cases[i][0]);
            assertTrue(r.err().contains(cases[i][1]), r.err() + " should say " + cases[i][1]);
            assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
            assertFalse(Files.exists(out), "nothing written for " + cases[i][0]);
        }
        CliTest.Result missing = CliTest.cli("sweep", "--config", tmp.resolve("nope.yaml").toString(), "--out", tmp.resolve("x").toString());
        assertEquals(ExitCodes.BAD_CONFIG, missing.code());
        assertTrue(missing.err().contains("sweep file not found"), missing.err());
    }
}
