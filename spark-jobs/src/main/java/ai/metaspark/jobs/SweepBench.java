package ai.metaspark.jobs;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.spark.SparkTrialExecutor;
import ai.metaspark.sweep.LocalTrialExecutor;
import ai.metaspark.sweep.Sweep;
import ai.metaspark.sweep.SweepFolder;
import ai.metaspark.sweep.SweepSpec;
import ai.metaspark.sweep.TrialExecutor;
import ai.metaspark.sweep.TrialResult;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code bin/metaspark bench sweep}: a sweep of 16 sinusoid MAML trials (random inner rates, one thread each) run one
 * after another in this process, through Spark {@code local[2]}, and through {@code local-cluster} with two executor
 * JVMs of one core: wall time per sweep (median of rounds, each round a fresh sweep folder, Spark started once per
 * runner) and the speedup over the sequential sweep, measured in one run. Every runner must give the same results.
 */
public final class SweepBench {
    private static final int TRIALS = 16;
    private final int budget;
    private final int rounds;
    private final PrintStream out;

    public SweepBench(int budget, int rounds, PrintStream out) {
        this.budget = budget;
        this.rounds = rounds;
        this.out = out;
    }

    public void run() {
        try {
            Path dir = Files.createTempDirectory("metaspark-bench-sweep");
            Path base = dir.resolve("base.yaml");
            Files.writeString(base, Recipe.defaults().with("val_every=0", "val_tasks=100", "checkpoint_every=0").yaml());
            SweepSpec spec = SweepSpec.parse("bench", "base: " + base + "\nspace:\n  inner_lr: {log_uniform: [0.001, 0.3]}\n"
                    + "scheduler: random\ntrials: " + TRIALS + "\nmax_budget: " + budget + "\nseed: 1\n");
            out.printf(Locale.ROOT, "%d sinusoid MAML trials of %d meta-steps (meta-batch 25, 1 thread each); wall seconds per sweep, "
                    + "median of %d rounds after a warm-up round%n%n", TRIALS, budget, rounds);
            out.println("| runner | trials at a time | s per sweep | speedup |");
            out.println("| --- | --- | --- | --- |");
            Measured seq = time(spec, dir.resolve("seq"), () -> new LocalTrialExecutor(1));
            row("in-process, one after another", seq, seq);
            row("Spark local[2]", time(spec, dir.resolve("local"), () -> SparkTrialExecutor.start("local[2]", 1)), seq);
            row("Spark local-cluster, 2 executors x 1 core",
                    time(spec, dir.resolve("cluster"), () -> SparkTrialExecutor.start("local-cluster[2,1,1024]", 1)), seq);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Measured(int slots, double seconds, List<TrialResult> results) {
    }

    private void row(String runner, Measured m, Measured sequential) {
        boolean same = sameResults(sequential.results, m.results);
        out.printf(Locale.ROOT, "| %s | %d | %.1f | %.2fx |%s%n", runner, m.slots, m.seconds, sequential.seconds / m.seconds,
                same ? "" : " RESULTS DIFFER FROM THE SEQUENTIAL SWEEP");
        out.flush();
    }

    private static boolean sameResults(List<TrialResult> a, List<TrialResult> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).trial() != b.get(i).trial() || Double.compare(a.get(i).mean(), b.get(i).mean()) != 0) return false;
        }
        return true;
    }

    /** Median wall time of a whole sweep, the executor (and its Spark context) started once, outside the timing. */
    private Measured time(SweepSpec spec, Path dir, Supplier<TrialExecutor> executors) {
        double[] s = new double[rounds];
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<TrialResult> results = null;
        int slots;
        try (TrialExecutor executor = executors.get()) {
            slots = executor.slots();
            for (int round = -1; round < rounds; round++) {
                String folder = dir.resolve("round" + (round + 1)).toString();
                long t0 = System.nanoTime();
                Sweep.Outcome o = new Sweep(spec, SweepFolder.open(folder, spec, false), executor, quiet, () -> false).run();
                if (round >= 0) s[round] = (System.nanoTime() - t0) / 1e9;
                results = o.results();
            }
        }
        Arrays.sort(s);
        return new Measured(slots, s[rounds / 2], results);
    }
}
