package ai.metaspark.jobs;

import ai.metaspark.model.conv.Conv4Backend;
import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.train.Experiment;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bin/metaspark bench backends}: the two Conv-4 backends side by side, as the GPU check (deploy/gpu-check.sh)
 * needs them. It prints what ND4J runs on; how far the ND4J operations' loss, gradient and Hessian-vector product are
 * from oneDNN's on one Omniglot-sized batch (the strided and the max-pool Conv-4, 64 filters, 5 images of 28x28; on a
 * GPU machine that is the GPU against the CPU); and the milliseconds per meta-step of MAML (second order) and
 * ProtoNets at Finn et al.'s 5-way 1-shot (meta-batch 32) and 20-way 1-shot (meta-batch 16, 5 inner steps) episodes
 * on each backend, one worker thread, medians of rounds after a warm-up round.
 */
public final class BackendBench {
    private static final List<String> ALGORITHMS = List.of("maml", "protonet");
    private static final List<String> BACKENDS = List.of("fast", "dl4j");
    private final int steps;
    private final int rounds;
    private final PrintStream out;

    public BackendBench(int steps, int rounds, PrintStream out) {
        this.steps = steps;
        this.rounds = rounds;
        this.out = out;
    }

    public void run() {
        out.printf("ND4J computes on: %s (backend %s); backend auto picks %s for Conv-4%n", Conv4Backend.nd4jCompute(),
                Nd4j.getBackend().getClass().getSimpleName(), Conv4Backend.named("auto"));
        out.println();
        out.println("| Conv-4 | loss (oneDNN) | loss, relative difference | gradient, relative L2 difference | H v, relative L2 difference |");
        out.println("| --- | --- | --- | --- | --- |");
        for (Conv4Spec.Variant v : Conv4Spec.Variant.values()) agreement(Conv4Spec.omniglot(v));
        out.println();
        out.printf(Locale.ROOT, "ms per meta-step, 1 worker thread (median of %d rounds of %d steps after a warm-up round)%n%n",
                rounds, steps);
        out.println("| setting | algorithm | backend | ms/step |");
        out.println("| --- | --- | --- | --- |");
        for (MamlBench.Setting s : MamlBench.SETTINGS) {
            for (String algorithm : ALGORITHMS) {
                for (String backend : BACKENDS) {
                    Experiment e = s.recipe(algorithm).with("backend=" + backend).experiment();
                    out.printf(Locale.ROOT, "| %s | %s | %s | %.1f |%n", s.name(), algorithm, e.network().describeBackend(backend),
                            MamlBench.msPerStep(e, 1, steps, rounds, out));
                    out.flush();
                }
            }
        }
    }

    /** One row: ND4J against oneDNN at the same parameters, images, labels and direction. */
    private void agreement(Conv4Spec spec) {
        int classes = 5;
        int[] labels = {0, 1, 2, 3, 4};
        SplittableRandom r = new SplittableRandom(7);
        double[] x = new double[labels.length * spec.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble();
        double[] p = Conv4Classifier.initialParams(spec, classes, 11);
        double[] v = new double[p.length];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        double[][] g = new double[2][p.length];
        double[][] hv = new double[2][p.length];
        double[] loss = new double[2];
        Conv4Backend[] backends = {Conv4Backend.ONEDNN, Conv4Backend.ND4J};
        for (int b = 0; b < 2; b++) {
            try (Conv4Classifier c = new Conv4Classifier(spec, classes, backends[b])) {
                loss[b] = c.gradient(p, x, labels, g[b]);
                c.hessianVector(p, x, labels, v, hv[b]);
            }
        }
        out.printf(Locale.ROOT, "| %s | %.6f | %.2e | %.2e | %.2e |%n", spec.variant(), loss[0],
                Math.abs(loss[1] - loss[0]) / Math.abs(loss[0]), relative(g[1], g[0]), relative(hv[1], hv[0]));
    }

    private static double relative(double[] a, double[] ref) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - ref[i]) * (a[i] - ref[i]);
            n += ref[i] * ref[i];
        }
        return Math.sqrt(d / n);
    }
}
