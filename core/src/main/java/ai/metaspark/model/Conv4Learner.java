package ai.metaspark.model;

import ai.metaspark.model.conv.Conv4Backend;
import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.model.conv.Conv4Slice;
import ai.metaspark.model.conv.SoftmaxLoss;
import ai.metaspark.task.Batch;

import java.util.Optional;

/**
 * The {@link Learner} of a {@link Conv4Model}: softmax cross-entropy on one-hot targets, computed by
 * {@link Conv4Classifier} (oneDNN, f32 inside, double at the boundary). {@link #predict} returns the logits.
 *
 * <p><b>Hessian-vector products</b> are exact: the R-operator (Pearlmutter 1994) of the oneDNN forward and backward
 * pass ({@link Conv4Classifier#hessianVector}), through batch norm's batch statistics, with the ReLU masks and max-pool
 * choices of {@code params} (the Hessian autodiff frameworks return). It costs about one more gradient and reuses the
 * gradient pass MAML's inner step just ran on the same support set.
 *
 * <p>One instance per thread; {@link #close()} frees the native memory.
 */
public final class Conv4Learner implements Learner, AutoCloseable {
    private final Conv4Model spec;
    private final Conv4Backend backend;
    private final Conv4Classifier net;
    /** The tasks of a slice side by side (ND4J operations only), built on first use. */
    private Conv4Slice slice;

    /** On oneDNN. */
    public Conv4Learner(Conv4Model spec) {
        this(spec, Conv4Backend.ONEDNN);
    }

    public Conv4Learner(Conv4Model spec, Conv4Backend backend) {
        this.spec = spec;
        this.backend = backend;
        this.net = new Conv4Classifier(spec.conv(), spec.classes(), backend);
    }

    @Override
    public boolean isClassifier() {
        return spec().classifier();
    }

    public Conv4Model spec() {
        return spec;
    }

    /** The underlying classifier (its {@code embed}/{@code embedBackward} serve Prototypical Networks and ANIL). */
    public Conv4Classifier classifier() {
        return net;
    }

    @Override
    public double loss(double[] params, Batch data) {
        return net.loss(params, data.x(), labels(data));
    }

    @Override
    public double gradient(double[] params, Batch data, double[] grad) {
        return net.gradient(params, data.x(), labels(data), grad);
    }

    /** The accuracy from the gradient pass's own logits: no look-up (and no parameter comparison) for a kept pass. */
    @Override
    public double[] gradientAndAccuracy(double[] params, Batch data, double[] grad) {
        int[] labels = labels(data);
        double loss = net.gradient(params, data.x(), labels, grad);
        return new double[] {loss, Learners.labelAccuracy(net.lastLogits(), labels, data.outDim())};
    }

    @Override
    public void hessianVector(double[] params, Batch data, double[] v, double[] out) {
        net.hessianVector(params, data.x(), labels(data), v, out);
    }

    /**
     * On ND4J operations, the tasks of a slice side by side ({@link Conv4Slice}: one batched pass for all of them, what
     * a GPU needs); oneDNN computes one task at a time.
     */
    @Override
    public Optional<SliceLearner> sideBySide() {
        if (slice().isEmpty()) return Optional.empty();
        return Optional.of(new SliceLearner() {
            @Override
            public double[][] gradients(int stage, double[][] params, Batch[] data, double[][] grads, boolean accuracy) {
                double[][] x = new double[data.length][];
                int[][] labels = new int[data.length][];
                for (int t = 0; t < data.length; t++) {
                    x[t] = data[t].x();
                    labels[t] = labels(data[t]);
                }
                double[] losses = slice.gradients(stage, params, x, labels, grads);
                double[][] out = new double[data.length][];
                for (int t = 0; t < data.length; t++) {
                    double a = accuracy ? Learners.labelAccuracy(slice.logits(stage, t), labels[t], data[t].outDim()) : 0;
                    out[t] = new double[] {losses[t], a};
                }
                return out;
            }

            @Override
            public void hessianVectors(int stage, double[][] v, double[][] out) {
                slice.hessianVectors(stage, v, out);
            }
        });
    }

    /** The classifiers of a slice's tasks side by side: on ND4J operations only (oneDNN computes one task at a time). */
    public Optional<Conv4Slice> slice() {
        if (backend != Conv4Backend.ND4J) return Optional.empty();
        if (slice == null) slice = new Conv4Slice(spec.conv(), spec.classes());
        return Optional.of(slice);
    }

    @Override
    public double[] predict(double[] params, Batch data) {
        return net.predict(params, data.x(), data.n());
    }

    /** One forward pass: the mean cross-entropy and the accuracy of the logits. */
    @Override
    public double[] lossAndAccuracy(double[] params, Batch data) {
        double[] z = predict(params, data);
        int[] labels = labels(data);
        int c = data.outDim();
        return new double[] {SoftmaxLoss.crossEntropy(z, labels, c, null), Learners.labelAccuracy(z, labels, c)};
    }

    /** The label of each row: the index of its one-hot target. */
    public static int[] labels(Batch data) {
        int c = data.outDim();
        int[] labels = new int[data.n()];
        for (int i = 0; i < data.n(); i++) labels[i] = Learners.argmax(data.y(), i * c, c);
        return labels;
    }

    @Override
    public void close() {
        net.close();
        if (slice != null) slice.close();
    }
}
