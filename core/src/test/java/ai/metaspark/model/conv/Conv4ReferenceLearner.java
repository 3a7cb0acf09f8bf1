package ai.metaspark.model.conv;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Batch;

import java.util.Arrays;

/**
 * The float64 oracle of the tests: a {@link Learner} over {@link Conv4Reference}, the plain double-precision Conv-4
 * classifier (conv parameters, head {@code W[embeddingSize, classes]}, head bias; mean softmax cross-entropy on
 * one-hot targets) with its exact hand-written gradient. Batches hold {@code x} row-major
 * {@code [n, channels * size * size]} and one-hot {@code y [n, classes]}; the label of a row is the argmax of its
 * target. {@link #predict} returns the logits {@code [n, classes]}.
 *
 * <p>{@link #hessianVector} is a central difference of this learner's own float64 gradient,
 * {@code (g(p + e v) - g(p - e v)) / (2 e)} with {@code e = 1e-6 (1 + |p|) / |v|} (L2 norms; a zero {@code v} gives
 * zeros). It is valid away from ReLU and max-pool kinks (no kink may lie within {@code e v} of {@code p}), which holds
 * for random continuous inputs and parameters with overwhelming probability.
 *
 * <p>Keeps the activations of the last call: one instance per thread.
 */
public final class Conv4ReferenceLearner implements Learner {
    /** Relative size of the central-difference step of {@link #hessianVector}. */
    public static final double HVP_STEP = 1e-6;
    private final Conv4Spec spec;
    private final int classes;
    private final Conv4Reference ref;

    public Conv4ReferenceLearner(Conv4Spec spec, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.spec = spec;
        this.classes = classes;
        this.ref = new Conv4Reference(spec);
    }

    public Conv4Spec spec() {
        return spec;
    }

    public int classes() {
        return classes;
    }

    /** Conv parameters + head weights + head bias. */
    public int numParams() {
        return Conv4Classifier.numParams(spec, classes);
    }

    @Override
    public boolean isClassifier() {
        return true;
    }

    @Override
    public double loss(double[] params, Batch data) {
        return ref.loss(params, data.x(), data.n(), labels(data), classes);
    }

    @Override
    public double gradient(double[] params, Batch data, double[] grad) {
        return ref.gradient(params, data.x(), data.n(), labels(data), classes, grad);
    }

    @Override
    public void hessianVector(double[] params, Batch data, double[] v, double[] out) {
        double vn = norm(v);
        if (vn == 0) {
            Arrays.fill(out, 0.0);
            return;
        }
        double e = HVP_STEP * (1 + norm(params)) / vn;
        double[] minus = new double[params.length];
        gradient(shift(params, -e, v), data, minus);
        gradient(shift(params, e, v), data, out);
        for (int k = 0; k < out.length; k++) out[k] = (out[k] - minus[k]) / (2 * e);
    }

    @Override
    public double[] predict(double[] params, Batch data) {
        labels(data);   // checks the target width
        return ref.predict(params, data.x(), data.n(), classes);
    }

    /** The label of each row: the index of the largest entry of its one-hot target. */
    int[] labels(Batch data) {
        if (data.outDim() != classes) {
            throw new IllegalArgumentException("batch has " + data.outDim() + " targets per row, expected " + classes);
        }
        int[] labels = new int[data.n()];
        for (int i = 0; i < data.n(); i++) {
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (data.y()[i * classes + j] > data.y()[i * classes + best]) best = j;
            }
            labels[i] = best;
        }
        return labels;
    }

    private static double[] shift(double[] p, double e, double[] v) {
        double[] s = new double[p.length];
        for (int k = 0; k < p.length; k++) s[k] = p[k] + e * v[k];
        return s;
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double x : a) s += x * x;
        return Math.sqrt(s);
    }
}
