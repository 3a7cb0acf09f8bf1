package ai.metaspark.model;

import ai.metaspark.model.conv.Conv4Backend;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A fully connected network {@code inputs -> hidden... -> outputs}: for regression an identity output and
 * mean-squared-error loss; as a {@code classifier} logits out and softmax cross-entropy on one-hot targets (an image is
 * read as its flattened pixels). Its flat parameter vector has DL4J's layout: per layer the weights
 * {@code W[nIn, nOut]} in column-major ('f') order, then the bias {@code b[nOut]}. So a flat vector moves between the
 * backends and a DL4J network unchanged.
 */
public record MlpModel(int inputs, List<Integer> hidden, int outputs, Activation activation, boolean classifier)
        implements NetworkSpec {
    public MlpModel {
        hidden = List.copyOf(hidden);
    }

    /** A regression MLP (identity output, MSE). */
    public MlpModel(int inputs, List<Integer> hidden, int outputs, Activation activation) {
        this(inputs, hidden, outputs, activation, false);
    }

    /** Layer widths, inputs first. */
    public int[] sizes() {
        int[] s = new int[hidden.size() + 2];
        s[0] = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            s[i + 1] = hidden.get(i);
        }
        s[s.length - 1] = outputs;
        return s;
    }

    @Override
    public int numParams() {
        int[] s = sizes();
        int p = 0;
        for (int l = 1; l < s.length; l++) {
            p += s[l - 1] * s[l] + s[l];
        }
        return p;
    }

    /** The last layer's weights and bias. */
    @Override
    public int headOffset() {
        return numParams() - (hidden.get(hidden.size() - 1) + 1) * outputs;
    }

    /** Per layer {@code l} (1-based): {@code dense<l>.W}, then {@code dense<l>.b}. */
    @Override
    public List<ParamGroup> paramGroups() {
        int[] s = sizes();
        List<ParamGroup> groups = new java.util.ArrayList<>();
        int off = 0;
        for (int l = 1; l < s.length; l++) {
            groups.add(new ParamGroup("dense" + l + ".W", off, s[l - 1] * s[l], false));
            off += s[l - 1] * s[l];
            groups.add(new ParamGroup("dense" + l + ".b", off, s[l], false));
            off += s[l];
        }
        return groups;
    }

    @Override
    public org.deeplearning4j.nn.multilayer.MultiLayerNetwork toDl4j(double[] params) {
        return Dl4jModels.withParams(this, params);
    }

    @Override
    public Supplier<Learner> learners(String backend) {
        return Learners.factory(this, backend);
    }

    @Override
    public String describeBackend(String backend) {
        Learners.factory(this, backend); // refuses an unknown name
        return backend.equals("dl4j") ? "dl4j (MultiLayerNetwork, ND4J on " + Conv4Backend.nd4jCompute() + ")"
                : "fast (hand-written kernels, CPU)";
    }

    /** Glorot-uniform weights and zero biases, drawn from {@code seed}. */
    @Override
    public double[] initialParams(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] s = sizes();
        double[] p = new double[numParams()];
        int off = 0;
        for (int l = 1; l < s.length; l++) {
            double limit = Math.sqrt(6.0 / (s[l - 1] + s[l]));
            for (int k = 0; k < s[l - 1] * s[l]; k++) {
                p[off++] = limit * (2 * rng.nextDouble() - 1);
            }
            off += s[l];
        }
        return p;
    }
}
