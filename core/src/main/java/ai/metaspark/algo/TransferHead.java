package ai.metaspark.algo;

import ai.metaspark.model.Conv4Learner;
import ai.metaspark.model.Dl4jModels;
import ai.metaspark.model.Learner;
import ai.metaspark.model.Learners;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The meta-test of the transfer baseline (Chen et al. 2019, "A Closer Look at Few-shot Classification"): the body of
 * a classifier trained on every training class, frozen, embeds a test task's images (its batch norm with the running
 * statistics, as in ordinary inference), and a new N-way head is fitted to the support embeddings by full-batch
 * gradient descent at {@code inner_lr}. The curve is the query accuracy after 0..evalSteps head steps. With
 * {@code transfer_finetune} the body is trained along with a new linear head ({@link #fineTuned}).
 * <ul>
 *   <li>{@link Head#LINEAR} ("Baseline"): softmax regression from zero weights, so step 0 is chance.</li>
 *   <li>{@link Head#COSINE} ("Baseline++"): logits are {@value #COSINE_SCALE} times the cosine similarity between the
 *   embedding and one weight vector per class; each starts at its class's mean support embedding.</li>
 * </ul>
 * The meta-parameters are the classifier's flat DL4J parameters ({@code params()}, batch-norm statistics included);
 * training them is not a meta-step, so {@link #adapt} refuses.
 */
public final class TransferHead implements MetaAlgorithm {
    private static final long serialVersionUID = 1L;
    /** The cosine head's logit scale (Chen et al. use a fixed scale; 10 suits up to 200 ways in their code). */
    public static final double COSINE_SCALE = 10;

    /** The new head fitted per test task. */
    public enum Head { LINEAR, COSINE }

    private final Conv4Spec spec;
    private final int classes;
    private final Head head;
    private final double lr;
    private final boolean fineTune;
    private transient volatile ThreadLocal<Body> bodies;

    /**
     * The classifier trained on {@code classes} classes with the Conv-4 body {@code spec}; heads fitted at {@code lr},
     * with the body frozen or, with {@code fineTune}, trained along (a linear head only).
     */
    public TransferHead(Conv4Spec spec, int classes, Head head, double lr, boolean fineTune) {
        if (fineTune && head != Head.LINEAR) throw new IllegalArgumentException("fine-tuning takes the linear head, not " + head);
        this.spec = spec;
        this.classes = classes;
        this.head = head;
        this.lr = lr;
        this.fineTune = fineTune;
    }

    /** The classifier's network for meta-parameters {@code meta} (a fresh one, the parameters copied in). */
    MultiLayerNetwork network(double[] meta) {
        MultiLayerNetwork net = Dl4jModels.conv4Classifier(spec, classes, 0, new Sgd(0));
        if (meta.length != net.numParams()) {
            throw new IllegalArgumentException("transfer parameters have length " + meta.length + ", the classifier "
                    + net.numParams());
        }
        net.setParams(Nd4j.createFromArray(meta).castTo(DataType.FLOAT).reshape(1, meta.length));
        return net;
    }

    @Override
    public double[] initialize(double[] theta) {
        return theta;
    }

    @Override
    public TaskOutcome adapt(Learner learner, double[] meta, Task task) {
        throw new UnsupportedOperationException("the transfer baseline trains as an ordinary classifier, not by meta-steps");
    }

    @Override
    public double[] networkParams(double[] meta, int numParams) {
        return meta.clone();
    }

    @Override
    public TaskEvaluation evaluate(Learner learner, double[] meta, int numParams, Task task, int evalInnerSteps,
                                   int evalSteps, boolean accuracy) {
        if (fineTune) return fineTuned(meta, task, evalInnerSteps, evalSteps, accuracy);
        long t0 = System.nanoTime();
        MultiLayerNetwork net = body(meta);
        double[][] support = embed(net, task.support());
        int ways = task.support().outDim();
        int[] supportLabels = Conv4Learner.labels(task.support());
        HeadWeights w = head == Head.LINEAR ? new HeadWeights(new double[ways][support[0].length], false)
                : new HeadWeights(classMeans(support, supportLabels, ways), true);
        long setup = System.nanoTime() - t0;
        double[][] query = embed(net, task.query());
        int[] queryLabels = Conv4Learner.labels(task.query());
        return curve(setup, evalInnerSteps, evalSteps, () -> w.score(query, queryLabels, accuracy),
                () -> w.step(support, supportLabels, lr));
    }

    /**
     * The body trained along with a new linear head (zero weights) by SGD at {@code lr} on the whole support set per
     * step, through DL4J's transfer-learning API on a copy of the classifier; batch norm normalizes with the support
     * batch while fitting and with the running statistics (which fitting moves) when scoring the query set.
     */
    private TaskEvaluation fineTuned(double[] meta, Task task, int evalInnerSteps, int evalSteps, boolean accuracy) {
        long t0 = System.nanoTime();
        int ways = task.support().outDim();
        MultiLayerNetwork net = new TransferLearning.Builder(body(meta).clone())
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(lr)).build())
                .removeOutputLayer()
                .addLayer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(spec.embeddingSize()).nOut(ways)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).weightInit(WeightInit.ZERO).build())
                .build();
        DataSet support = dataSet(task.support());
        DataSet query = dataSet(task.query());
        long setup = System.nanoTime() - t0;
        return curve(setup, evalInnerSteps, evalSteps, () -> accuracy
                ? Learners.accuracy(net.output(query.getFeatures(), false).castTo(DataType.DOUBLE).data().asDouble(), task.query())
                : net.score(query, false), () -> net.fit(support));
    }

    /**
     * The curve of a head: the query value before each of {@code evalSteps} steps and after the last; the adaptation
     * time is {@code setupNanos} plus the first {@code evalInnerSteps} steps (the query evaluations not counted).
     */
    private static TaskEvaluation curve(long setupNanos, int evalInnerSteps, int evalSteps, DoubleSupplier score, Runnable step) {
        double adaptNanos = setupNanos;
        double[] perStep = new double[evalSteps + 1];
        for (int s = 0; ; s++) {
            perStep[s] = score.getAsDouble();
            if (s == evalSteps) break;
            long t = System.nanoTime();
            step.run();
            if (s < evalInnerSteps) adaptNanos += System.nanoTime() - t;
        }
        return new TaskEvaluation(perStep, adaptNanos / 1e6);
    }

    private static DataSet dataSet(Batch batch) {
        return new DataSet(floats(batch.x(), batch.n(), batch.inDim()), floats(batch.y(), batch.n(), batch.outDim()));
    }

    private static INDArray floats(double[] v, int rows, int cols) {
        return Nd4j.createFromArray(v).castTo(DataType.FLOAT).reshape(rows, cols);
    }

    /** This thread's network, rebuilt when the meta-parameters change (one network per thread: DL4J's are not shared). */
    private MultiLayerNetwork body(double[] meta) {
        ThreadLocal<Body> b = bodies;
        if (b == null) bodies = b = new ThreadLocal<>();
        Body cached = b.get();
        if (cached == null || cached.meta() != meta) b.set(cached = new Body(meta, network(meta)));
        return cached.net();
    }

    private record Body(double[] meta, MultiLayerNetwork net) {
    }

    /** The feature layer's output for each row of {@code batch}. */
    private static double[][] embed(MultiLayerNetwork net, Batch batch) {
        INDArray in = floats(batch.x(), batch.n(), batch.inDim());
        int layer = Dl4jModels.featureLayer(net);
        List<INDArray> acts = net.feedForwardToLayer(layer, in, false);
        INDArray f = acts.get(layer + 1).reshape(batch.n(), -1).castTo(DataType.DOUBLE);
        return f.toDoubleMatrix();
    }

    private static double[][] classMeans(double[][] f, int[] labels, int ways) {
        double[][] m = new double[ways][f[0].length];
        int[] count = new int[ways];
        for (int i = 0; i < f.length; i++) {
            count[labels[i]]++;
            for (int j = 0; j < f[i].length; j++) m[labels[i]][j] += f[i][j];
        }
        for (int c = 0; c < ways; c++) for (int j = 0; j < m[c].length; j++) m[c][j] /= Math.max(1, count[c]);
        return m;
    }

    /** A head's weights (one vector per class, plus biases for the linear head) and its gradient step. */
    private static final class HeadWeights {
        private final double[][] w;
        private final double[] b;
        private final boolean cosine;

        HeadWeights(double[][] w, boolean cosine) {
            this.w = w;
            this.b = new double[w.length];
            this.cosine = cosine;
        }

        /** Softmax probabilities of one embedding; for the cosine head also fills {@code norms} with |w_c|. */
        private double[] probabilities(double[] f, double fNorm, double[] norms) {
            int ways = w.length;
            double[] z = new double[ways];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < ways; c++) {
                double dot = 0;
                for (int j = 0; j < f.length; j++) dot += w[c][j] * f[j];
                z[c] = cosine ? COSINE_SCALE * dot / (fNorm * norms[c]) : dot + b[c];
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < ways; c++) sum += z[c] = Math.exp(z[c] - max);
            for (int c = 0; c < ways; c++) z[c] /= sum;
            return z;
        }

        private double[] norms() {
            double[] n = new double[w.length];
            for (int c = 0; c < w.length; c++) n[c] = cosine ? norm(w[c]) : 1;
            return n;
        }

        /** Accuracy (the first of equal scores wins) or mean cross-entropy on {@code f}. */
        double score(double[][] f, int[] labels, boolean accuracy) {
            double[] norms = norms();
            double total = 0;
            for (int i = 0; i < f.length; i++) {
                double[] p = probabilities(f[i], cosine ? norm(f[i]) : 1, norms);
                total += accuracy ? (Learners.argmax(p, 0, p.length) == labels[i] ? 1 : 0)
                        : -Math.log(Math.max(p[labels[i]], Double.MIN_VALUE));
            }
            return total / f.length;
        }

        /** One full-batch gradient-descent step of the mean cross-entropy on the support embeddings. */
        void step(double[][] f, int[] labels, double lr) {
            int ways = w.length;
            double[] norms = norms();
            double[][] gw = new double[ways][f[0].length];
            double[] gb = new double[ways];
            for (int i = 0; i < f.length; i++) {
                double fNorm = cosine ? norm(f[i]) : 1;
                double[] p = probabilities(f[i], fNorm, norms);
                for (int c = 0; c < ways; c++) {
                    double d = (p[c] - (labels[i] == c ? 1 : 0)) / f.length;
                    if (cosine) { // d(s cos)/dw_c = s (f^ - cos w^) / |w_c|
                        double cos = 0;
                        for (int j = 0; j < f[i].length; j++) cos += f[i][j] * w[c][j];
                        cos /= fNorm * norms[c];
                        for (int j = 0; j < f[i].length; j++) {
                            gw[c][j] += d * COSINE_SCALE * (f[i][j] / fNorm - cos * w[c][j] / norms[c]) / norms[c];
                        }
                    } else {
                        for (int j = 0; j < f[i].length; j++) gw[c][j] += d * f[i][j];
                        gb[c] += d;
                    }
                }
            }
            for (int c = 0; c < ways; c++) {
                for (int j = 0; j < w[c].length; j++) w[c][j] -= lr * gw[c][j];
                b[c] -= lr * gb[c];
            }
        }

        private static double norm(double[] v) {
            double s = 0;
            for (double x : v) s += x * x;
            return Math.max(Math.sqrt(s), 1e-12);
        }
    }
}
