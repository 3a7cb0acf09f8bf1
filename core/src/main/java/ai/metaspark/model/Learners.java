package ai.metaspark.model;

import java.util.function.Supplier;

/** Chooses a {@link Learner} backend by name: {@code fast}, {@code dl4j}, or {@code auto} (fast for MLPs). */
public final class Learners {
    private Learners() {
    }

    /** Fraction of rows of {@code outputs [n, outDim]} whose argmax equals the argmax of the target row. */
    public static double accuracy(double[] outputs, ai.metaspark.task.Batch data) {
        int c = data.outDim();
        int hits = 0;
        for (int i = 0; i < data.n(); i++) {
            if (argmax(outputs, i * c, c) == argmax(data.y(), i * c, c)) hits++;
        }
        return (double) hits / data.n();
    }

    /** Fraction of rows of logits {@code z [n, classes]} whose largest entry is the row's label (n = labels.length). */
    public static double labelAccuracy(double[] z, int[] labels, int classes) {
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (argmax(z, i * classes, classes) == labels[i]) hits++;
        }
        return (double) hits / labels.length;
    }

    /** The first index of the largest of {@code a[from .. from+len)}, relative to {@code from}. */
    public static int argmax(double[] a, int from, int len) {
        int best = 0;
        for (int j = 1; j < len; j++) {
            if (a[from + j] > a[from + best]) best = j;
        }
        return best;
    }

    /** A factory of per-thread learners. */
    public static Supplier<Learner> factory(MlpModel spec, String backend) {
        switch (backend) {
            case "dl4j":
                return () -> new Dl4jLearner(spec);
            case "fast":
            case "auto":
                return () -> new MlpLearner(spec);
            default:
                throw new IllegalArgumentException("unknown backend '" + backend + "' (expected auto, fast or dl4j)");
        }
    }
}
