package ai.metaspark.model;

import ai.metaspark.task.Batch;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The general backend: a DL4J {@link MultiLayerNetwork} (float64) behind the flat-parameter {@link Learner} API, and
 * exact Hessian-vector products from the R-operator on ND4J operations ({@link Nd4jMlpHessian}): everything on ND4J,
 * so on a GPU with ND4J's CUDA backend. About 1 ms per call on tiny networks (DL4J's fixed overhead), so
 * {@link MlpLearner} is the default for MLPs.
 */
public final class Dl4jLearner implements Learner {
    private final MlpModel spec;
    private final MultiLayerNetwork net;
    private final Nd4jMlpHessian hessian;

    public Dl4jLearner(MlpModel spec) {
        this.spec = spec;
        this.net = Dl4jModels.build(spec, DataType.DOUBLE);
        this.hessian = new Nd4jMlpHessian(spec);
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

    /** Exact: the R-operator on ND4J operations ({@link Nd4jMlpHessian}), not a difference of gradients. */
    @Override
    public void hessianVector(double[] params, Batch data, double[] v, double[] out) {
        hessian.hessianVector(params, data, v, out);
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
