package ai.metaspark.model.conv;

import java.util.ArrayList;
import java.util.List;

/**
 * Conv-4 classifiers of the tasks of a slice, side by side on ND4J operations: the gradients of T tasks, each at its
 * own parameters on its own images, in one batched pass ({@link Nd4jConv4Net}), and exact Hessian-vector products
 * (the R-operator) on a kept pass. The same network, head and loss as {@link Conv4Classifier}: each task gets the bits
 * a {@code Conv4Classifier} on {@link Conv4Backend#ND4J} gives it alone.
 *
 * <p>Passes are kept per stage (a small index the caller picks; each stage has its own network and state): products at
 * a stage run at the parameters and images of its last {@link #gradients}, whose parameter arrays must stay unchanged
 * until then. Not thread-safe: one instance per thread; {@link #close()} drops the kept state.
 */
public final class Conv4Slice implements AutoCloseable {
    private final Conv4Spec spec;
    private final int classes;
    private final LinearHead head;
    private final List<Stage> stages = new ArrayList<>();

    /** One stage's network and the head's state of its last gradients, per task. */
    private static final class Stage {
        final Nd4jConv4Net net;
        double[][] params;
        int[][] labels;
        double[][] e;
        double[][] z;
        double[][] dz;

        Stage(Conv4Spec spec) {
            net = new Nd4jConv4Net(spec);
        }
    }

    public Conv4Slice(Conv4Spec spec, int classes) {
        if (classes < 1) throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        this.spec = spec;
        this.classes = classes;
        this.head = new LinearHead(spec.numParams(), spec.embeddingSize(), classes);
    }

    /** Conv parameters + head weights + head bias, as {@link Conv4Classifier#numParams()}. */
    public int numParams() {
        return head.numParams();
    }

    /**
     * Each task's mean cross-entropy of {@code params[t]} on its images {@code x[t]} with {@code labels[t]} (every
     * task the same number of images): writes the gradients into {@code grads[t]}, returns the losses, and keeps the
     * pass as {@code stage}.
     */
    public double[] gradients(int stage, double[][] params, double[][] x, int[][] labels, double[][] grads) {
        int tasks = params.length;
        if (labels.length != tasks || grads.length != tasks) {
            throw new IllegalArgumentException("need one label set and one gradient per task: " + tasks + " tasks, "
                    + labels.length + " label sets, " + grads.length + " gradients");
        }
        int n = labels[0].length;
        for (int t = 0; t < tasks; t++) {
            Conv4Net.check("params[" + t + "]", params[t].length, numParams());
            Conv4Net.check("grad[" + t + "]", grads[t].length, numParams());
            if (labels[t].length != n) {
                throw new IllegalArgumentException("task " + t + " has " + labels[t].length + " images, task 0 has " + n
                        + ": tasks side by side need the same number");
            }
        }
        Stage s = stage(stage);
        s.params = params;
        s.labels = labels;
        s.e = s.net.forward(params, x, n);
        s.z = new double[tasks][];
        s.dz = new double[tasks][];
        double[] losses = new double[tasks];
        double[][] dEmb = new double[tasks][];
        for (int t = 0; t < tasks; t++) {
            s.z[t] = head.logits(params[t], s.e[t], n, true);
            s.dz[t] = new double[n * classes];
            losses[t] = SoftmaxLoss.crossEntropy(s.z[t], labels[t], classes, s.dz[t]);
            dEmb[t] = head.embeddingGradient(params[t], s.dz[t], n);
        }
        s.net.backward(dEmb, grads, null);
        for (int t = 0; t < tasks; t++) head.gradient(s.e[t], s.dz[t], n, grads[t]);
        return losses;
    }

    /**
     * Each task's embeddings {@code [n, embeddingSize]} of its images {@code x[t]} under the conv part of
     * {@code params[t]}, in one pass kept as {@code stage} for {@link #embedBackward} (Prototypical Networks).
     */
    public double[][] embed(int stage, double[][] params, double[][] x, int n) {
        Stage s = stage(stage);
        s.params = null; // no gradient kept: no products at this stage
        return s.net.forward(params, x, n);
    }

    /**
     * Backward of the stage's last {@link #embed}: writes each task's conv gradient for its embedding gradient
     * {@code dEmb[t]} into {@code grads[t][0 .. spec.numParams())}; the rest of {@code grads[t]} is left as it is.
     */
    public void embedBackward(int stage, double[][] dEmb, double[][] grads) {
        if (stage < 0 || stage >= stages.size()) throw new IllegalStateException("no embeddings at stage " + stage);
        stages.get(stage).net.backward(dEmb, grads, null);
    }

    /** The logits {@code [n, classes]} of task t's last gradient at {@code stage} (not a copy: read, do not keep). */
    public double[] logits(int stage, int t) {
        return kept(stage).z[t];
    }

    /**
     * Writes {@code H_t v[t]} into {@code out[t]}, {@code H_t} the Hessian of task t's loss at the parameters and
     * images of the stage's last gradients: exact, with their ReLU masks and max-pool choices.
     */
    public void hessianVectors(int stage, double[][] v, double[][] out) {
        Stage s = kept(stage);
        int tasks = s.params.length;
        if (v.length != tasks || out.length != tasks) {
            throw new IllegalArgumentException("stage " + stage + " holds " + tasks + " tasks; got " + v.length
                    + " directions and " + out.length + " outputs");
        }
        int h0 = spec.numParams();
        float[][] conv = new float[tasks][];
        for (int t = 0; t < tasks; t++) {
            Conv4Net.check("v[" + t + "]", v[t].length, numParams());
            Conv4Net.check("out[" + t + "]", out[t].length, numParams());
            conv[t] = Conv4Net.toFloat(v[t], new float[h0]);
        }
        float[][] rh = s.net.directionalForward(conv);
        float[][] rgh = new float[tasks][];
        for (int t = 0; t < tasks; t++) {
            double[] g = head.hessianVector(s.params[t], v[t], s.e[t], s.dz[t], s.labels[t], Conv4Net.toDouble(rh[t]), out[t]);
            rgh[t] = Conv4Net.toFloat(g, new float[g.length]);
        }
        s.net.directionalBackward(rgh, conv);
        for (int t = 0; t < tasks; t++) {
            for (int i = 0; i < h0; i++) out[t][i] = conv[t][i];
        }
    }

    private Stage stage(int stage) {
        if (stage < 0) throw new IllegalArgumentException("stage must be >= 0, got " + stage);
        while (stages.size() <= stage) stages.add(new Stage(spec));
        return stages.get(stage);
    }

    private Stage kept(int stage) {
        if (stage < 0 || stage >= stages.size() || stages.get(stage).params == null) {
            throw new IllegalStateException("no gradients kept at stage " + stage);
        }
        return stages.get(stage);
    }

    @Override
    public void close() {
        for (Stage s : stages) s.net.close();
        stages.clear();
    }
}
