package ai.metaspark.jobs;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.spark.SparkRuntime;
import ai.metaspark.spark.SparkTaskRunner;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.Segment;
import ai.metaspark.train.TrainState;
import ai.metaspark.train.TaskRunner;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code bin/metaspark bench spark}: the time of one meta-step (meta-batch 32) in-process against Spark: embedded
 * {@code local[2]}, and {@code local-cluster} with one and two executor JVMs of one core. Spark's overhead is
 * {@code local[2]} against two in-process threads; the scaling efficiency is {@code t(1 executor) / (2 t(2 executors))}.
 * Medians over timed rounds after a warm-up round. A round trains its steps as one segment, as training does: one Spark
 * job of about the auto segment length ({@code steps_per_job: 0}).
 */
public final class SparkBench {
    private static final int META_BATCH = 32;
    private final int rounds;
    private final PrintStream out;

    public SparkBench(int rounds, PrintStream out) {
        this.rounds = rounds;
        this.out = out;
    }

    /** A named configuration to time, its meta-steps per timed round and in the warm-up round. */
    public record Workload(String name, Recipe recipe, int steps, int warmupSteps) {
    }

    public void run(List<Workload> workloads) {
        out.printf(Locale.ROOT, "ms per meta-step, meta-batch %d; median of %d timed rounds after a warm-up round%n%n",
                META_BATCH, rounds);
        out.println("| workload | runner | ms/step | vs in-process (2 threads) |");
        out.println("| --- | --- | --- | --- |");
        for (Workload w : workloads) {
            Recipe c = w.recipe().with("meta_batch=" + META_BATCH);
            double local1 = row(w, "in-process, 1 thread", -1, time(w, c, e -> new LocalTaskRunner(e, 1)));
            double local2 = row(w, "in-process, 2 threads", -1, time(w, c, e -> new LocalTaskRunner(e, 2)));
            row(w, "Spark local[2], one job per step", local2, timeSpark(w, c.with("steps_per_job=1"), "local[2]"));
            double spark = row(w, "Spark local[2]", local2, timeSpark(w, c, "local[2]"));
            double one = row(w, "Spark local-cluster, 1 executor x 1 core", local2, timeSpark(w, c, "local-cluster[1,1,1536]"));
            double two = row(w, "Spark local-cluster, 2 executors x 1 core", local2, timeSpark(w, c, "local-cluster[2,1,1536]"));
            out.printf(Locale.ROOT, "| %s | Spark overhead local[2] vs in-process: %+.1f%%; scaling 1 -> 2 executors: efficiency %.2f | | |%n",
                    w.name(), 100 * (spark / local2 - 1), one / (2 * two));
        }
    }

    private double row(Workload w, String runner, double reference, double ms) {
        out.flush();
        out.printf(Locale.ROOT, "| %s | %s | %.2f | %s |%n", w.name(), runner, ms,
                reference > 0 ? String.format(Locale.ROOT, "%.2fx", ms / reference) : "");
        return ms;
    }

    private double timeSpark(Workload w, Recipe c, String master) {
        SparkConf conf = SparkRuntime.conf(master, "metaspark bench spark");
        if (master.startsWith("local-cluster")) {
            conf.set("spark.executor.memory", "1g");
        }
        JavaSparkContext sc = SparkRuntime.start(conf);
        try {
            int partitions = master.startsWith("local-cluster[1") ? 1 : 2;
            return time(w, c, e -> new SparkTaskRunner(sc, e, partitions));
        } finally {
            sc.stop();
        }
    }

    /**
     * Median milliseconds per meta-step (tasks and outer update) over the timed rounds; a round trains the workload's
     * steps from the initial state, in one segment unless {@code steps_per_job} is 1.
     */
    private double time(Workload w, Recipe c, Function<Experiment, TaskRunner> runners) {
        Experiment e = c.experiment();
        double[] ms = new double[rounds];
        try (TaskRunner r = runners.apply(e)) {
            TrainState start = new MetaTrainer(e, r, RunLog.NONE, out).initialState();
            for (int round = -1; round < rounds; round++) {
                int steps = round < 0 ? w.warmupSteps() : w.steps();
                int perJob = e.execution().stepsPerJob() > 0 ? e.execution().stepsPerJob() : steps;
                long t0 = System.nanoTime();
                Segment s = new Segment(0, start.meta(), start.optimizerState(), List.of());
                while (s.end() < steps) s = r.train(e, s.end(), Math.min(steps, s.end() + perJob), s.meta(), s.optimizerState());
                if (round >= 0) ms[round] = (System.nanoTime() - t0) / 1e6 / steps;
            }
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }
}
