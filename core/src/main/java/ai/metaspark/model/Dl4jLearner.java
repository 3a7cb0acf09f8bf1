package ai.metaspark.model;

import ai.metaspark.task.Batch;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The general backend: a DL4J {@link MultiLayerNetwork} (float64) behind the flat-parameter {@link Learner} API.
 * Hessian-vector products are central differences of two gradients, {@code [g(p + eps v) - g(p - eps v)] / 2 eps}
 * with {@code eps = 1e-4 / |v|}: exact to about 1e-9 relative in double precision, for any network DL4J can build.
 * About 1 ms per call on tiny networks (DL4J's fixed overhead), so {@link MlpLearner} is the default for MLPs.
 */
public final class Dl4jLearner implements Learner {
    private static final double HVP_SCALE = 1e-4;
    private final MlpModel spec;
    private final MultiLayerNetwork net;
    private final double[] plus;
    private final double[] minus;

    public Dl4jLearner(MlpModel spec) {
        this.spec = spec;
        this.net = Dl4jModels.build(spec, DataType.DOUBLE);
        this.plus = new double[spec.numParams()];
        this.minus = new double[spec.numParams()];
    }

    @Override
    public boolean isClassifier() {
        return spec().classifier();
    }

    public MlpModel spec() {
        return spec;
    }

    @Override
    public double loss(double[] params, Batch data) {
        load(params, data);
        return net.score(new org.nd4j.linalg.dataset.DataSet(features(data), labels(data)));
    }

    @Override
    public double gradient(double[] params, Batch data, double[] grad) {
        load(params, data);
        net.computeGradientAndScore();
        INDArray g = net.gradient().gradient();
        double[] sum = g.reshape(g.length()).toDoubleVector();
        for (int k = 0; k < grad.length; k++) {
            grad[k] = sum[k] / data.n();        // DL4J's gradient is the sum over the minibatch
        }
        return net.score();
    }

    @Override
    public void hessianVector(double[] params, Batch data, double[] v, double[] out) {
        double norm = 0;
        for (double x : v) norm += x * x;
        norm = Math.sqrt(norm);
        if (norm == 0) {
            java.util.Arrays.fill(out, 0);
            return;
        }
        double eps = HVP_SCALE / norm;
        for (int k = 0; k < v.length; k++) {
            plus[k] = params[k] + eps * v[k];
            minus[k] = params[k] - eps * v[k];
        }
        double[] gMinus = new double[out.length];
        gradient(plus, data, out);
        gradient(minus, data, gMinus);
        for (int k = 0; k < out.length; k++) {
            out[k] = (out[k] - gMinus[k]) / (2 * eps);
        }
    }

    @Override
    public double[] predict(double[] params, Batch data) {
        net.setParams(Nd4j.createFromArray(params).reshape(1, params.length));
        return net.output(features(data)).reshape(data.n() * data.outDim()).toDoubleVector();
    }

    private void load(double[] params, Batch data) {
        net.setParams(Nd4j.createFromArray(params).reshape(1, params.length));
        net.setInput(features(data));
        net.setLabels(labels(data));
    }

    private static INDArray features(Batch b) {
        return Nd4j.createFromArray(b.x()).reshape(b.n(), b.inDim());
    }

    private static INDArray labels(Batch b) {
        return Nd4j.createFromArray(b.y()).reshape(b.n(), b.outDim());
    }
}
