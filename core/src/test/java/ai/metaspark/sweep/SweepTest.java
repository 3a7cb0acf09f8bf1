package ai.metaspark.sweep;

import ai.metaspark.io.Json;
import ai.metaspark.train.DivergedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sweeps of small sinusoid trials, run in-process. */
class SweepTest {
    @TempDir
    Path dir;

    private static final String SPACE = "space:\n  algorithm: [maml, pretrain]\n  inner_lr: {log_uniform: [0.0001, 3.0]}\n";

    private SweepSpec spec(String body) throws IOException {
        Path recipe = dir.resolve("base.yaml");
        Files.writeString(recipe, "algorithm: maml\ntask: sinusoid\nmeta_batch: 10\nval_every: 0\nval_tasks: 100\nlog_every: 50\n"
                + "checkpoint_every: 100\nouter_lr: 0.003\n");
        return SweepSpec.parse("test.yaml", "base: " + recipe + "\n" + body);
    }

    /** Runs trials on threads of this JVM and counts the executions that ran to a result, per (trial, rung). */
    private static final class Counting implements TrialExecutor {
        final ExecutorService pool;
        final int slots;
        final List<String> executed = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean cancelled = new AtomicBoolean();

        Counting(int slots) {
            this.slots = slots;
            this.pool = Executors.newFixedThreadPool(slots);
        }

        @Override
        public Future<TrialResult> submit(TrialWork work) {
            return pool.submit(() -> {
                TrialResult r = TrialRun.run(work, cancelled::get);
                executed.add(work.trial().name() + "/" + work.rung());
                return r;
            });
        }

        @Override
        public int slots() {
            return slots;
        }

        @Override
        public void cancelAll() {
            cancelled.set(true);
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String describe() {
            return "counting";
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    private Sweep.Outcome run(SweepSpec spec, String out, TrialExecutor executor, BooleanSupplier stop, boolean resume) {
        try (executor) {
            return new Sweep(spec, SweepFolder.open(out, spec, resume), executor, new PrintStream(new ByteArrayOutputStream()), stop).run();
        }
    }

    @Test
    void aSinusoidSweepFindsAGoodInnerRateAndRanksMamlAbovePretrain() throws IOException {
        SweepSpec spec = spec(SPACE + "scheduler: halving\ntrials: 12\neta: 3\nmin_budget: 100\nmax_budget: 900\nseed: 5\n");
        Sweep.Outcome o = run(spec, dir.resolve("a").toString(), new LocalTrialExecutor(2), () -> false, false);
        assertEquals("maml", o.best().values().get("algorithm"));
        double lr = Double.parseDouble(o.best().values().get("inner_lr"));
        assertTrue(lr > 0.003 && lr < 1.0, "best inner lr " + lr + " outside the known-good range of sinusoid MAML");
        double bestMaml = rung0Best(o, spec, "maml");
        double bestPretrain = rung0Best(o, spec, "pretrain");
        assertTrue(bestMaml < bestPretrain, "maml " + bestMaml + " vs pretrain " + bestPretrain);
        assertEquals(12 + 4 + 1, o.results().size()); // rungs of 12, 4 and 1 trials
        assertTrue(Files.readString(dir.resolve("a/best.yaml")).contains("inner_lr: " + o.best().values().get("inner_lr")));
    }

    private static double rung0Best(Sweep.Outcome o, SweepSpec spec, String algorithm) {
        return o.results().stream().filter(r -> r.rung() == 0 && r.done())
                .filter(r -> spec.trialList().get(r.trial()).values().get("algorithm").equals(algorithm))
                .mapToDouble(TrialResult::mean).min().orElseThrow();
    }

    /** trials.jsonl without the wall times, which differ from run to run. */
    private String rowsWithoutWallTimes(Path sweep) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String line : Files.readAllLines(sweep.resolve(SweepFolder.TRIALS_JSONL))) {
            Map<?, ?> row = Json.MAPPER.readValue(line, Map.class);
            row.remove("wall_s");
            s.append(Json.line(row)).append('\n');
        }
        return s.toString();
    }

    @Test
    void aStoppedSweepResumedRerunsNoCompletedTrialAndEndsAsAnUninterruptedOne() throws IOException {
        SweepSpec spec = spec(SPACE + "scheduler: halving\ntrials: 9\neta: 3\nmin_budget: 100\nmax_budget: 900\nseed: 2\n");
        Path whole = dir.resolve("whole");
        Counting all = new Counting(2);
        run(spec, whole.toString(), all, () -> false, false);

        Path parts = dir.resolve("parts");
        Counting first = new Counting(2);
        assertThrows(SweepStoppedException.class, () -> run(spec, parts.toString(), first, () -> first.executed.size() >= 5, false));
        assertTrue(first.executed.size() >= 5 && first.executed.size() < all.executed.size(), first.executed.toString());
        Counting second = new Counting(2);
        run(spec, parts.toString(), second, () -> false, true);

        List<String> both = new ArrayList<>(first.executed);
        both.addAll(second.executed);
        assertEquals(both.size(), both.stream().distinct().count(), "a completed trial ran again: " + both);
        assertEquals(all.executed.size(), both.size());
        assertEquals(Files.readString(whole.resolve(SweepFolder.BEST)), Files.readString(parts.resolve(SweepFolder.BEST)));
        assertEquals(rowsWithoutWallTimes(whole), rowsWithoutWallTimes(parts));
    }

    @Test
    void halvingGivesTheSameRowsForAnyNumberOfSlots() throws IOException {
        SweepSpec spec = spec(SPACE + "scheduler: halving\ntrials: 6\neta: 2\nmin_budget: 100\nmax_budget: 400\nseed: 9\n");
        run(spec, dir.resolve("one").toString(), new LocalTrialExecutor(1), () -> false, false);
        run(spec, dir.resolve("three").toString(), new LocalTrialExecutor(3), () -> false, false);
        assertEquals(rowsWithoutWallTimes(dir.resolve("one")), rowsWithoutWallTimes(dir.resolve("three")));
    }

    @Test
    void aDivergingTrialIsRecordedAsFailedAndTheSweepCompletes() throws IOException {
        SweepSpec spec = spec("space:\n  outer_lr: [0.003, 1.0e12]\nscheduler: grid\nmax_budget: 200\n");
        Sweep.Outcome o = run(spec, dir.resolve("d").toString(), new LocalTrialExecutor(2), () -> false, false);
        TrialResult failed = o.results().get(1);
        assertEquals(TrialResult.FAILED, failed.status());
        assertNotNull(failed.error());
        assertEquals(0, o.best().id());
        assertTrue(Files.readString(dir.resolve("d/trials.csv")).contains("failed"), "trials.csv records the failure");
    }

    @Test
    void aSweepWhoseEveryTrialFailsSaysSoAndKeepsItsRecord() throws IOException {
        SweepSpec spec = spec("space:\n  outer_lr: [1.0e12, 1.0e13]\nscheduler: grid\nmax_budget: 100\n");
        DivergedException e = assertThrows(DivergedException.class,
                () -> run(spec, dir.resolve("f").toString(), new LocalTrialExecutor(2), () -> false, false));
        assertTrue(e.getMessage().startsWith("every trial failed"), e.getMessage());
        assertEquals(2, Files.readAllLines(dir.resolve("f/trials.jsonl")).size());
    }

    @Test
    void aTrialWhoseValuesTheRecipeRefusesIsRecordedAsFailed() throws IOException {
        SweepSpec spec = spec("space:\n  algorithm: [anil, maml]\nscheduler: grid\nmax_budget: 50\n");
        Sweep.Outcome o = run(spec, dir.resolve("v").toString(), new LocalTrialExecutor(1), () -> false, false);
        assertEquals(TrialResult.FAILED, o.results().get(0).status());
        assertTrue(o.results().get(0).error().contains("anil"), o.results().get(0).error());
        assertEquals(TrialResult.DONE, o.results().get(1).status());
    }

    @Test
    void ashaCompletesAndAResumedAshaSweepReplaysItsDecisions() throws IOException {
        SweepSpec spec = spec(SPACE + "scheduler: asha\ntrials: 9\neta: 3\nmin_budget: 100\nmax_budget: 900\nseed: 4\n");
        Path out = dir.resolve("asha");
        Counting first = new Counting(2);
        assertThrows(SweepStoppedException.class, () -> run(spec, out.toString(), first, () -> first.executed.size() >= 4, false));
        List<String> decided = Files.readAllLines(out.resolve(SweepFolder.DECISIONS));
        Counting second = new Counting(2);
        Sweep.Outcome o = run(spec, out.toString(), second, () -> false, true);
        List<String> after = Files.readAllLines(out.resolve(SweepFolder.DECISIONS));
        assertEquals(decided, after.subList(0, decided.size()), "a resumed ASHA sweep keeps its recorded decisions");
        List<String> both = new ArrayList<>(first.executed);
        both.addAll(second.executed);
        assertEquals(both.size(), both.stream().distinct().count(), "a completed trial ran again: " + both);
        assertEquals(after.size(), o.results().size());
        assertTrue(o.results().stream().anyMatch(r -> r.rung() == 2), "some trial reached the last rung");
    }
}
