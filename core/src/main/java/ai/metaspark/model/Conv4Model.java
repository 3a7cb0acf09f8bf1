package ai.metaspark.model;

import ai.metaspark.model.conv.Conv4Backend;
import ai.metaspark.model.conv.Conv4Classifier;
import ai.metaspark.model.conv.Conv4Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Conv-4 with a linear head over {@code classes} outputs and softmax cross-entropy: the few-shot classifier of MAML,
 * ANIL, Meta-SGD and Reptile, and (its conv part only) the embedding of Prototypical Networks. The flat layout is
 * {@link Conv4Classifier}'s: conv parameters, then the head from {@link #headOffset()}.
 *
 * <p>{@code model.zip} holds the same network as DL4J layers ({@link Dl4jModels#conv4}); training and meta-testing run
 * on oneDNN or on ND4J operations ({@link Conv4Backend}: the {@code backend} key).
 *
 * @param body null, or conv parameters that replace the drawn ones at the start (init_from: a transfer run's trained
 *             body; the head is always drawn fresh)
 */
public record Conv4Model(Conv4Spec conv, int classes, double[] body) implements NetworkSpec {
    public Conv4Model {
        if (body != null && body.length != conv.numParams()) {
            throw new IllegalArgumentException("a Conv-4 body has " + conv.numParams() + " parameters, got " + body.length);
        }
    }

    /** Conv-4 over {@code classes} outputs, its parameters drawn at the start. */
    public Conv4Model(Conv4Spec conv, int classes) {
        this(conv, classes, null);
    }

    @Override
    public int numParams() {
        return Conv4Classifier.numParams(conv, classes);
    }

    @Override
    public double[] initialParams(long seed) {
        double[] p = Conv4Classifier.initialParams(conv, classes, seed);
        if (body != null) System.arraycopy(body, 0, p, 0, body.length);
        return p;
    }

    @Override
    public int headOffset() {
        return conv.numParams();
    }

    /** Per block {@code b}: {@code block<b>.conv}, {@code .gamma}, {@code .beta} (batch norm); then {@code head.W}, {@code head.b}. */
    @Override
    public List<ParamGroup> paramGroups() {
        List<ParamGroup> groups = new ArrayList<>();
        for (int b = 0; b < conv.blocks(); b++) {
            groups.add(new ParamGroup("block" + b + ".conv", conv.weightOffset(b), conv.weightCount(b), false));
            groups.add(new ParamGroup("block" + b + ".gamma", conv.gammaOffset(b), conv.filters(), true));
            groups.add(new ParamGroup("block" + b + ".beta", conv.betaOffset(b), conv.filters(), true));
        }
        groups.add(new ParamGroup("head.W", headOffset(), conv.embeddingSize() * classes, false));
        groups.add(new ParamGroup("head.b", headOffset() + conv.embeddingSize() * classes, classes, false));
        return groups;
    }

    @Override
    public boolean classifier() {
        return true;
    }

    @Override
    public org.deeplearning4j.nn.multilayer.MultiLayerNetwork toDl4j(double[] params) {
        return Dl4jModels.conv4(this, params);
    }

    /** fast: oneDNN; dl4j: ND4J operations; auto: ND4J when ND4J runs on a GPU, else oneDNN ({@link Conv4Backend#named}). */
    @Override
    public Supplier<Learner> learners(String backend) {
        Conv4Backend b = Conv4Backend.named(backend);
        return () -> new Conv4Learner(this, b);
    }

    /** The backend's description; for auto, the choice this JVM makes (each Spark executor makes its own). */
    @Override
    public String describeBackend(String backend) {
        String chosen = Conv4Backend.named(backend).describe();
        return backend.equals("auto") ? "auto, here " + chosen + ", each executor choosing for itself" : chosen;
    }
}
