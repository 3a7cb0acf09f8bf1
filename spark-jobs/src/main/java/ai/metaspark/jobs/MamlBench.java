package ai.metaspark.jobs;

import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.run.Provenance;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TaskRunner;
import ai.metaspark.train.TrainState;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/metaspark bench maml}: milliseconds per meta-step of the Conv-4 meta-learners on Omniglot episodes, in
 * process ({@link LocalTaskRunner}, 1 and 2 threads), and the share of the FLOP limit they reach.
 *
 * <p>Settings: Finn et al.'s 5-way 1-shot (meta-batch 32, 1 inner step) and 20-way 1-shot (meta-batch 16, 5 inner
 * steps), 1 query image per class in training, as MAML's reference code trains. A round trains {@code steps}
 * meta-steps from the initial state (task sampling, adaptation, meta-gradient, outer update); the table shows the
 * median round after a warm-up round.
 *
 * <p>The limit: the convolution FLOPs a meta-step needs ({@link #flopsPerTask}), at the oneDNN sgemm rate measured on
 * the same threads. Batch norm, ReLU, pooling, the head and task sampling are not counted, so 100% is out of reach.
 */
public final class MamlBench {
    static final List<String> ALGORITHMS = List.of("maml", "fomaml", "anil", "metasgd", "protonet");
    private final int steps;
    private final int rounds;
    private final PrintStream out;

    public MamlBench(int steps, int rounds, PrintStream out) {
        this.steps = steps;
        this.rounds = rounds;
        this.out = out;
    }

    /** One episode shape of Finn et al. */
    record Setting(String name, int nWay, int metaBatch, int innerSteps, double innerLr) {
        Recipe recipe(String algorithm) {
            return Recipe.defaults().with("task=omniglot", "protocol=vinyals", "n_way=" + nWay, "k_shot=1", "k_query=1", "eval_query=15",
                    "algorithm=" + algorithm, "model=" + (algorithm.equals("protonet") ? "conv4" : "conv4-strided"),
                    "meta_batch=" + metaBatch, "inner_steps=" + innerSteps, "inner_lr=" + innerLr,
                    "outer_optimizer=adam", "outer_lr=0.001", "seed=1");
        }
    }

    static final List<Setting> SETTINGS = List.of(new Setting("5-way 1-shot", 5, 32, 1, 0.4),
            new Setting("20-way 1-shot", 20, 16, 5, 0.1));

    public void run() {
        double peak1 = new Conv4Bench(3, 1, out).sgemmPeak();
        double peak2 = new Conv4Bench(3, 2, out).sgemmPeak();
        out.printf(Locale.ROOT, "ms per meta-step (median of %d rounds of %d steps after a warm-up round), OMP_NUM_THREADS=%s, on %s; "
                + "sgemm peak: %.0f GFLOP/s on 1 thread, %.0f on 2%n%n", rounds, steps, System.getenv("OMP_NUM_THREADS"),
                Provenance.cpu(), peak1, peak2);
        out.println("| setting | algorithm | threads | ms/step | conv GFLOP per step | limit ms/step | share of limit |");
        out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (Setting s : SETTINGS) {
            for (String algorithm : ALGORITHMS) {
                Experiment e = s.recipe(algorithm).experiment();
                double gflop = s.metaBatch() * flopsPerTask(algorithm, s, e) / 1e9;
                for (int threads = 1; threads <= 2; threads++) {
                    double ms = time(e, threads);
                    double limitMs = 1000 * gflop / (threads == 1 ? peak1 : peak2);
                    out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.2f | %.1f | %.0f%% |%n", s.name(), algorithm, threads, ms,
                            gflop, limitMs, 100 * limitMs / ms);
                    out.flush();
                }
            }
        }
    }

    /**
     * Convolution FLOPs one task needs: support gradients at each inner step and, second order, one Hessian-vector
     * product per step (the R-operator's convolutions on top of that step's gradient pass), then the query gradient.
     * ANIL and ProtoNets embed support and query once and back-propagate once.
     */
    static double flopsPerTask(String algorithm, Setting s, Experiment e) {
        Conv4Spec spec = Conv4Spec.omniglot(algorithm.equals("protonet") ? Conv4Spec.Variant.POOL : Conv4Spec.Variant.STRIDED);
        int support = s.nWay();
        int query = s.nWay();
        double g = spec.trainFlopsPerImage();
        double r = spec.hessianVectorFlopsPerImage();
        int k = s.innerSteps();
        return switch (algorithm) {
            case "maml", "metasgd" -> k * (g + r) * support + g * query;
            case "fomaml" -> k * g * support + g * query;
            default -> g * (support + query);
        };
    }

    private double time(Experiment e, int threads) {
        return msPerStep(e, threads, steps, rounds, out);
    }

    /** Median ms per meta-step of {@code e} in process on {@code threads}, over {@code rounds} rounds of {@code steps} after a warm-up round. */
    static double msPerStep(Experiment e, int threads, int steps, int rounds, PrintStream out) {
        double[] ms = new double[rounds];
        try (TaskRunner r = new LocalTaskRunner(e, threads)) {
            TrainState start = new MetaTrainer(e, r, RunLog.NONE, out).initialState();
            for (int round = -1; round < rounds; round++) {
                int n = round < 0 ? Math.max(1, steps / 2) : steps;
                long t0 = System.nanoTime();
                r.train(e, 0, n, start.meta(), start.optimizerState());
                if (round >= 0) ms[round] = (System.nanoTime() - t0) / 1e6 / n;
            }
        }
        return Conv4Bench.median(ms);
    }
}
