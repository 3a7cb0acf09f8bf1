package ai.metaspark.model;

import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.model.conv.SoftmaxLoss;
import ai.metaspark.task.Batch;

/**
 * The {@link Learner} of a {@link Conv4Model}: softmax cross-entropy on one-hot targets, computed by
 * {@link Conv4Classifier} (oneDNN, f32 inside, double at the boundary). {@link #predict} returns the logits.
 *
 * <p><b>Hessian-vector products</b> are a central difference of two gradients,
 * {@code H v ~ (g(theta + e v) - g(theta - e v)) / (2 e)}, with {@code e = HVP_STEP * (1 + |theta|) / |v|} (L2 norms),
 * so the perturbation {@code e v} has norm {@code HVP_STEP (1 + |theta|)}: about 1e-3 of the parameters' own norm.
 * The truncation error is O(e^2): along head directions (smooth in the head) the head block matches the exact
 * softmax-regression Hessian to 3e-5 relative at 1e-3 (1e-1: 0.26, 1e-2: 3e-3; {@code ConvAlgorithmsTest}). A much
 * smaller step would let the f32 rounding of the network (divided by 2e) dominate. Along body directions the product
 * is only approximate: ReLU and max-pool kinks crossed inside {@code [theta - e v, theta + e v]} and the f32 network
 * make it noisy (on random Gaussian directions {@code u.Hv} and {@code v.Hu} agree only within a factor of a few, at
 * every step from 1e-1 to 1e-5), where autodiff frameworks return the kink-free Hessian. Second-order MAML on Conv-4
 * uses it as is; first-order MAML and ANIL (exact head Hessian) do not need it.
 *
 * <p>One instance per thread; {@link #close()} frees the native memory.
 */
public final class Conv4Learner implements Learner, AutoCloseable {
    /** Relative size of the central-difference step of {@link #hessianVector}. */
    public static final double HVP_STEP = 1e-3;
    private final Conv4Model spec;
    private final Conv4Classifier net;

    private final double hvpStep;

    public Conv4Learner(Conv4Model spec) {
        this(spec, HVP_STEP);
    }

    /** A learner whose Hessian-vector products use the relative step {@code hvpStep} (tests compare steps). */
    public Conv4Learner(Conv4Model spec, double hvpStep) {
        this.spec = spec;
        this.hvpStep = hvpStep;
        this.net = new Conv4Classifier(spec.conv(), spec.classes());
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

    @Override
    public void hessianVector(double[] params, Batch data, double[] v, double[] out) {
        double vn = norm(v);
        if (vn == 0) {
            java.util.Arrays.fill(out, 0.0);
            return;
        }
        double e = hvpStep * (1 + norm(params)) / vn;
        int[] labels = labels(data);
        double[] shifted = new double[params.length];
        double[] minus = new double[params.length];
        for (int k = 0; k < params.length; k++) shifted[k] = params[k] - e * v[k];
        net.gradient(shifted, data.x(), labels, minus);
        for (int k = 0; k < params.length; k++) shifted[k] = params[k] + e * v[k];
        net.gradient(shifted, data.x(), labels, out);
        for (int k = 0; k < params.length; k++) out[k] = (out[k] - minus[k]) / (2 * e);
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

    private static double norm(double[] a) {
        double s = 0;
        for (double x : a) s += x * x;
        return Math.sqrt(s);
    }

    @Override
    public void close() {
        net.close();
    }
}
