package ai.metaspark.jobs;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.spark.SparkRuntime;
import ai.metaspark.train.Experiment;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code bin/metaspark bench transfer}: images/s of the transfer baseline's classifier training (Omniglot's MAML split,
 * 4,400 classes, MAML's strided Conv-4, minibatches of 64) in this JVM against DL4J Spark's parameter averaging on
 * {@code local[2]}, measured in one run: medians of timed rounds after a warm-up round. ND4J's threads per operation
 * come from {@code OMP_NUM_THREADS}; with 1, in-process is one thread and {@code local[2]} two workers of one thread.
 */
public final class TransferBench {
    private final int minibatches;
    private final int rounds;
    private final PrintStream out;

    public TransferBench(int minibatches, int rounds, PrintStream out) {
        this.minibatches = minibatches;
        this.rounds = rounds;
        this.out = out;
    }

    public void run() {
        Experiment e = Recipe.defaults().with("task=omniglot", "protocol=maml", "model=conv4-strided", "algorithm=transfer",
                "n_way=5", "k_shot=1", "k_query=1", "eval_query=1").experiment();
        TransferTraining training = new TransferTraining(e, new PrintStream(OutputStream.nullOutputStream()));
        String omp = System.getenv().getOrDefault("OMP_NUM_THREADS", "unset (all cores)");
        out.printf(Locale.ROOT, "transfer classifier training, images/s: %d minibatches of %d per round, median of %d rounds "
                + "after a warm-up round; OMP_NUM_THREADS=%s, %d cores%n%n", minibatches, e.classifier().batchSize(), rounds,
                omp, Runtime.getRuntime().availableProcessors());
        out.println("| runner | images/s | vs in-process |");
        out.println("| --- | --- | --- |");
        double local = time(training, training.new Fitter(training.initialNetwork(), null, 0));
        row("in-process (DL4J fit)", local, local);
        JavaSparkContext sc = SparkRuntime.start(SparkRuntime.conf("local[2]", "metaspark bench transfer"));
        try {
            row("DL4J Spark local[2], parameter averaging every " + TransferTraining.AVERAGING_FREQUENCY + " minibatches",
                    time(training, training.new Fitter(training.initialNetwork(), sc, 2)), local);
        } finally {
            sc.stop();
        }
    }

    private void row(String runner, double imagesPerSecond, double reference) {
        out.printf(Locale.ROOT, "| %s | %.0f | %.2fx |%n", runner, imagesPerSecond, imagesPerSecond / reference);
        out.flush();
    }

    private double time(TransferTraining training, TransferTraining.Fitter fitter) {
        double[] rates = new double[rounds];
        for (int round = -1; round < rounds; round++) {
            long t0 = System.nanoTime();
            fitter.fit(round + 1, minibatches, 1e-3);
            if (round >= 0) rates[round] = minibatches * 64.0 / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        return rates[rounds / 2];
    }
}
