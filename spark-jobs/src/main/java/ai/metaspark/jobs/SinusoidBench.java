package ai.metaspark.jobs;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.algo.TaskOutcome;
import ai.metaspark.model.Learner;
import ai.metaspark.optim.OuterOptimizer;
import ai.metaspark.runtime.Allocation;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaGradientAccumulator;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/metaspark bench sinusoid}: meta-steps per second of each algorithm and backend at the MAML paper's
 * setting (K=10, meta-batch 25, MLP 40-40), where one meta-step's time goes, and the memory second-order MAML
 * allocates per task as the inner steps grow. Medians over timed rounds after a warm-up round.
 */
public final class SinusoidBench {
    private final int steps;
    private final int rounds;
    private final int threads;
    private final PrintStream out;

    public SinusoidBench(int steps, int rounds, int threads, PrintStream out) {
        this.steps = steps;
        this.rounds = rounds;
        this.threads = threads;
        this.out = out;
    }

    public void run() {
        out.printf("meta-steps/s, sinusoid K=10, meta-batch 25, MLP 1-40-40-1, 1 inner step; median of %d rounds of %d steps%n%n",
                rounds, steps);
        out.println("| algorithm | backend | threads | meta-steps/s | ms/step | tasks/s |");
        out.println("| --- | --- | --- | --- | --- | --- |");
        int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        for (String algo : List.of("maml", "fomaml", "reptile", "metasgd", "pretrain")) {
            row(algo, "fast", cores, steps);
        }
        row("maml", "fast", 1, steps);
        row("maml", "dl4j", cores, Math.max(10, steps / 100));
        out.println();
        breakdown();
        out.println();
        memory();
    }

    private static Recipe config(String algo, String backend, int threads, int steps) {
        return Recipe.defaults().with("algorithm=" + algo, "backend=" + backend, "threads=" + threads,
                "meta_steps=" + steps, "val_every=0", "checkpoint_every=0", "log_every=" + steps);
    }

    private void row(String algo, String backend, int threads, int steps) {
        Experiment e = config(algo, backend, threads, steps).experiment();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        double[] rates = new double[rounds];
        try (LocalTaskRunner runner = new LocalTaskRunner(e, threads)) {
            MetaTrainer trainer = new MetaTrainer(e, runner, RunLog.NONE, quiet);
            for (int r = -1; r < rounds; r++) {
                long t0 = System.nanoTime();
                trainer.train(trainer.initialState());
                if (r >= 0) rates[r] = steps / ((System.nanoTime() - t0) / 1e9);
            }
        }
        double median = median(rates);
        out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.2f | %.0f |%n", algo, backend, threads, median, 1000 / median, median * 25);
    }

    /** One thread, second-order MAML: the parts of a meta-step timed separately. */
    private void breakdown() {
        Experiment e = config("maml", "fast", 1, steps).experiment();
        Learner learner = e.learners().get();
        double[] meta = e.initialMeta();
        OuterOptimizer opt = OuterOptimizer.of(e.optimizer(), meta.length);
        int n = Math.max(50, steps / 10);
        double[] sample = new double[n];
        double[] adapt = new double[n];
        double[] sum = new double[n];
        double[] outer = new double[n];
        for (int s = -n; s < n; s++) {                 // the first n steps warm up the JIT
            long t0 = System.nanoTime();
            List<Task> tasks = new ArrayList<>();
            for (TaskSpec spec : e.sampler().metaBatch(s + n, 25)) tasks.add(e.trainTask(spec));
            long t1 = System.nanoTime();
            List<TaskOutcome> outcomes = new ArrayList<>();
            for (Task t : tasks) outcomes.add(e.algorithm().adapt(learner, meta, t));
            long t2 = System.nanoTime();
            MetaGradientAccumulator acc = new MetaGradientAccumulator(meta.length);
            outcomes.forEach(acc::add);
            double[] g = acc.meanGradient();
            long t3 = System.nanoTime();
            opt.step(meta, g, s + n);
            long t4 = System.nanoTime();
            if (s < 0) continue;
            sample[s] = (t1 - t0) / 1e6;
            adapt[s] = (t2 - t1) / 1e6;
            sum[s] = (t3 - t2) / 1e6;
            outer[s] = (t4 - t3) / 1e6;
        }
        double total = median(sample) + median(adapt) + median(sum) + median(outer);
        out.printf("where one second-order MAML meta-step goes (1 thread, median of %d steps)%n%n", n);
        out.println("| part | ms | share |");
        out.println("| --- | --- | --- |");
        part("sample + materialize 25 tasks", median(sample), total);
        part("inner loop + meta-gradient, 25 tasks", median(adapt), total);
        part("exact accumulation", median(sum), total);
        part("outer Adam step", median(outer), total);
    }

    private void part(String name, double ms, double total) {
        out.printf(Locale.ROOT, "| %s | %.3f | %.0f%% |%n", name, ms, 100 * ms / total);
    }

    /** Heap bytes allocated by one task's second-order meta-gradient, for 1, 5 and 10 inner steps. */
    private void memory() {
        out.println("memory of second-order MAML per task (heap bytes allocated, one task)");
        out.println();
        out.println("| inner steps | bytes | parameter vectors (8 B x P) |");
        out.println("| --- | --- | --- |");
        for (int k : new int[]{1, 5, 10}) {
            Experiment e = config("maml", "fast", 1, 1).with("inner_steps=" + k).experiment();
            long bytes = Allocation.perTask(e, 200);
            out.printf(Locale.ROOT, "| %d | %d | %.1f |%n", k, bytes, bytes / (8.0 * e.network().numParams()));
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
