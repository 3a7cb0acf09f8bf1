package ai.metaspark.model;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A network over a flat parameter vector: how many parameters it has, how they start, and how to get per-thread
 * {@link Learner}s for it. Implementations: {@link MlpModel} (an MLP: MSE for regression, softmax cross-entropy for
 * classification) and {@link Conv4Model} (Conv-4 with a linear head, softmax cross-entropy).
 */
public interface NetworkSpec extends Serializable {
    /** Length of the flat parameter vector. */
    int numParams();

    /** Initial parameters, deterministic in {@code seed}. */
    double[] initialParams(long seed);

    /** Offset of the output layer's parameters (the "head"); everything before it is the body. */
    int headOffset();

    /**
     * The parameter tensors in flat order, covering {@code [0, numParams())} without gaps: the "layers" of MAML++'s
     * per-layer inner learning rates.
     */
    java.util.List<ParamGroup> paramGroups();

    /** Whether the loss is softmax cross-entropy on one-hot targets (so accuracy is meaningful). */
    boolean classifier();

    /** The network as a DL4J {@link org.deeplearning4j.nn.multilayer.MultiLayerNetwork} holding {@code params}: model.zip. */
    org.deeplearning4j.nn.multilayer.MultiLayerNetwork toDl4j(double[] params);

    /** A factory of per-thread learners for {@code backend} (auto, fast or dl4j). */
    Supplier<Learner> learners(String backend);

    /** What {@link #learners} computes on for {@code backend}, as the start-up line says it (by default, the name). */
    default String describeBackend(String backend) {
        return backend;
    }
}
