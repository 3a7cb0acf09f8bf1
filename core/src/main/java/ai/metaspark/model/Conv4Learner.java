package ai.metaspark.model;

import ai.metaspark.model.conv.Conv4Backend;
import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.model.conv.SoftmaxLoss;
import ai.metaspark.task.Batch;

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
    private final Conv4Classifier net;

    /** On oneDNN. */
    public Conv4Learner(Conv4Model spec) {
        this(spec, Conv4Backend.ONEDNN);
    }

    public Conv4Learner(Conv4Model spec, Conv4Backend backend) {
        this.spec = spec;
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
    }
}
