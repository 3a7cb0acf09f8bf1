package ai.metaspark.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.OutputStream;

/** Builds the DL4J network of a {@link MlpModel}, sets a flat parameter vector into it, and saves it. */
public final class Dl4jModels {
    private Dl4jModels() {
    }

    /** A fresh network of the spec in the given data type (its parameters are DL4J's own initialization). */
    public static MultiLayerNetwork build(MlpModel spec, DataType dataType) {
        int[] s = spec.sizes();
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(dataType).seed(0).updater(new Sgd(0))
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .list();
        for (int l = 1; l < s.length - 1; l++) {
            b.layer(new DenseLayer.Builder().nIn(s[l - 1]).nOut(s[l]).activation(spec.activation().dl4j()).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(s[s.length - 2]).nOut(s[s.length - 1])
                .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build());
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

    /** Writes the network with DL4J's {@link ModelSerializer} (no updater state). */
    public static void save(MultiLayerNetwork net, OutputStream out) throws IOException {
        ModelSerializer.writeModel(net, out, false);
    }
}
