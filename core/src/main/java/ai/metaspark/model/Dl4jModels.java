package ai.metaspark.model;

import ai.metaspark.model.conv.Conv4Spec;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Builds the DL4J network of a {@link MlpModel} or a {@link Conv4Model}, sets a flat parameter vector into it, and
 * saves it: {@code model.zip}.
 */
public final class Dl4jModels {
    private Dl4jModels() {
    }

    /**
     * A fresh network of the spec in the given data type (its parameters are DL4J's own initialization): dense layers,
     * then an identity output with MSE, or for a classifier a softmax output with cross-entropy (it outputs
     * probabilities where {@link MlpLearner#predict} gives logits).
     */
    public static MultiLayerNetwork build(MlpModel spec, DataType dataType) {
        int[] s = spec.sizes();
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(dataType).seed(0).updater(new Sgd(0))
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .list();
        for (int l = 1; l < s.length - 1; l++) {
            b.layer(new DenseLayer.Builder().nIn(s[l - 1]).nOut(s[l]).activation(spec.activation().dl4j()).build());
        }
        b.layer(new OutputLayer.Builder(spec.classifier() ? LossFunctions.LossFunction.MCXENT : LossFunctions.LossFunction.MSE)
                .nIn(s[s.length - 2]).nOut(s[s.length - 1]).activation(spec.classifier()
                        ? org.nd4j.linalg.activations.Activation.SOFTMAX : org.nd4j.linalg.activations.Activation.IDENTITY)
                .build());
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The spec's network in float32 holding {@code params}: what model.zip contains. */
    public static MultiLayerNetwork withParams(MlpModel spec, double[] params) {
        MultiLayerNetwork net = build(spec, DataType.FLOAT);
        net.setParams(Nd4j.createFromArray(params).castTo(DataType.FLOAT).reshape(1, params.length));
        return net;
    }

    /**
     * The Conv-4 classifier as a DL4J network in float32 holding {@code params} (the flat layout of
     * {@link ai.metaspark.model.conv.Conv4Classifier}). Per block: a 3x3 convolution without bias (stride 1 with
     * padding 1, or stride 2 with TensorFlow's "SAME" padding, which DL4J's {@link ConvolutionMode#Same} reproduces),
     * batch normalization (eps {@link Conv4Spec#BN_EPS}), ReLU and, for the POOL variant, 2x2 max-pooling; then the
     * spatial mean (STRIDED) or the flattened output (POOL), and a softmax output layer.
     *
     * <p>Batch norm normalises with the current batch's statistics in meta-training and meta-testing alike (as MAML
     * and Prototypical Networks do), so {@code output(x, true)} (DL4J's training mode) gives the predictions of the
     * meta-test forward pass; in inference mode DL4J would use the running averages, which hold nothing learned.
     */
    public static MultiLayerNetwork conv4(Conv4Model model, double[] params) {
        MultiLayerNetwork net = new MultiLayerNetwork(conv4Layers(model.conv(), model.classes(),
                new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(0).updater(new Sgd(0))
                        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)));
        net.init();
        setConv4Params(net, model.conv(), model.classes(), params);
        return net;
    }

    /**
     * A fresh Conv-4 classifier over {@code classes} classes for ordinary supervised training (the transfer
     * baseline): the layers of {@link #conv4}, DL4J's initialization drawn from {@code seed}, and {@code updater}.
     * Its batch norm keeps running statistics, which DL4J's inference mode ({@code output(x, false)}) uses.
     */
    public static MultiLayerNetwork conv4Classifier(Conv4Spec spec, int classes, long seed, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(conv4Layers(spec, classes,
                new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(seed).updater(updater)
                        .weightInit(WeightInit.RELU)));
        net.init();
        return net;
    }

    /**
     * The index of the classifier's last layer before its softmax output layer (the last pooling, or the spatial
     * mean): the features a new head reads.
     */
    public static int featureLayer(MultiLayerNetwork net) {
        return net.getnLayers() - 2;
    }

    /** Conv-4's layers on {@code base}: per block convolution, batch norm, ReLU (and max-pooling), then the head. */
    private static MultiLayerConfiguration conv4Layers(Conv4Spec spec, int classes, NeuralNetConfiguration.Builder base) {
        boolean pool = spec.variant() == Conv4Spec.Variant.POOL;
        NeuralNetConfiguration.ListBuilder b = base.list();
        for (int k = 0; k < spec.blocks(); k++) {
            b.layer(new ConvolutionLayer.Builder(Conv4Spec.KERNEL, Conv4Spec.KERNEL).nOut(spec.filters()).hasBias(false)
                    .stride(spec.stride(), spec.stride()).padding(pool ? 1 : 0, pool ? 1 : 0)
                    .convolutionMode(pool ? ConvolutionMode.Truncate : ConvolutionMode.Same)
                    .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build());
            b.layer(new BatchNormalization.Builder().eps(Conv4Spec.BN_EPS).build());
            b.layer(new ActivationLayer.Builder().activation(org.nd4j.linalg.activations.Activation.RELU).build());
            if (pool) {
                b.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Truncate).build());
            }
        }
        if (!pool) b.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build());
        b.setInputType(InputType.convolutionalFlat(spec.imageSize(), spec.imageSize(), spec.channels()));
        return b.build();
    }

    private static void setConv4Params(MultiLayerNetwork net, Conv4Spec spec, int classes, double[] p) {
        int layer = 0;
        for (int k = 0; k < spec.blocks(); k++) {
            long[] w = {spec.filters(), spec.inChannels(k), Conv4Spec.KERNEL, Conv4Spec.KERNEL};
            net.getLayer(layer).setParam("W", slice(p, spec.weightOffset(k), w));
            org.deeplearning4j.nn.api.Layer bn = net.getLayer(layer + 1);
            bn.setParam("gamma", slice(p, spec.gammaOffset(k), 1, spec.filters()));
            bn.setParam("beta", slice(p, spec.betaOffset(k), 1, spec.filters()));
            layer += spec.variant() == Conv4Spec.Variant.POOL ? 4 : 3;
        }
        if (spec.variant() == Conv4Spec.Variant.STRIDED) layer++;
        int emb = spec.embeddingSize();
        int head = spec.numParams();
        net.getLayer(layer).setParam("W", slice(p, head, emb, classes));
        net.getLayer(layer).setParam("b", slice(p, head + emb * classes, 1, classes));
    }

    /**
     * The conv parameters of a Conv-4 DL4J network (a transfer run's classifier) in the flat layout of {@code spec}
     * (weights, batch-norm gamma and beta per block; running statistics and the head are not part of it).
     *
     * @throws IllegalArgumentException naming the first layer that is not {@code spec}'s
     */
    public static double[] conv4Body(MultiLayerNetwork net, Conv4Spec spec) {
        double[] body = new double[spec.numParams()];
        int layer = 0;
        for (int k = 0; k < spec.blocks(); k++) {
            long[] w = {spec.filters(), spec.inChannels(k), Conv4Spec.KERNEL, Conv4Spec.KERNEL};
            copy(net, layer, "W", w, body, spec.weightOffset(k));
            copy(net, layer + 1, "gamma", new long[]{1, spec.filters()}, body, spec.gammaOffset(k));
            copy(net, layer + 1, "beta", new long[]{1, spec.filters()}, body, spec.betaOffset(k));
            layer += spec.variant() == Conv4Spec.Variant.POOL ? 4 : 3;
        }
        int layers = layer + (spec.variant() == Conv4Spec.Variant.STRIDED ? 1 : 0) + 1; // + the spatial mean, + the head
        if (net.getnLayers() != layers) {
            throw new IllegalArgumentException("the network has " + net.getnLayers() + " layers, Conv-4 " + spec.variant() + " " + layers);
        }
        return body;
    }

    private static void copy(MultiLayerNetwork net, int layer, String param, long[] shape, double[] dst, int at) {
        long n = 1;
        for (long d : shape) n *= d;
        if (layer >= net.getnLayers() || !net.getLayer(layer).paramTable().containsKey(param)
                || net.getLayer(layer).getParam(param).length() != n
                || shape.length == 4 && !java.util.Arrays.equals(net.getLayer(layer).getParam(param).shape(), shape)) {
            throw new IllegalArgumentException("layer " + layer + " has no parameter " + param + " of shape "
                    + java.util.Arrays.toString(shape));
        }
        double[] v = net.getLayer(layer).getParam(param).dup('c').castTo(DataType.DOUBLE).data().asDouble();
        System.arraycopy(v, 0, dst, at, v.length);
    }

    /** {@code p[from ..]} as a float32 array of {@code shape}, row-major. */
    private static org.nd4j.linalg.api.ndarray.INDArray slice(double[] p, int from, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Nd4j.createFromArray(java.util.Arrays.copyOfRange(p, from, from + (int) n)).castTo(DataType.FLOAT).reshape('c', shape);
    }

    /** Writes the network with DL4J's {@link ModelSerializer} (no updater state). */
    public static void save(MultiLayerNetwork net, OutputStream out) throws IOException {
        ModelSerializer.writeModel(net, out, false);
    }
}
