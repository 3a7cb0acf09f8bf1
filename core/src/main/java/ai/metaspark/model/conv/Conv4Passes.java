package ai.metaspark.model.conv;

/**
 * What computes a Conv-4's passes for {@link Conv4Classifier}: images to embeddings, the backward pass to parameter
 * (and input) gradients, and the R-operator of both (exact Hessian-vector products) on the state the last forward and
 * backward left behind. Two implementations: {@link Conv4Net} (oneDNN primitives, CPU) and {@link Nd4jConv4Net} (ND4J
 * operations, on whichever ND4J backend is loaded: CPU, or a GPU through ND4J's CUDA backend). The flat parameter
 * layout is {@link Conv4Spec}'s; batch norm always normalises with the current batch's statistics. Not thread-safe.
 */
interface Conv4Passes extends AutoCloseable {
    /**
     * Embeddings {@code [n, embeddingSize]} of {@code n} images {@code x} (row-major {@code [n, channels, size, size]})
     * under the first {@link Conv4Spec#numParams()} entries of {@code params}.
     */
    double[] forward(double[] params, double[] x, int n);

    /**
     * Backward of the last {@link #forward} from {@code dEmb}: writes the parameter gradient into the first
     * {@link Conv4Spec#numParams()} entries of {@code grad} and, when {@code dx} is not null, the input gradient.
     */
    void backward(double[] dEmb, double[] grad, double[] dx);

    /** R of the last forward's embeddings along {@code v} (conv parameters); needs that forward's backward first. */
    float[] directionalForward(float[] v);

    /** R of the conv parameters' gradient into {@code hv}, from R of the embedding gradient, after {@link #directionalForward}. */
    void directionalBackward(float[] rDEmb, float[] hv);

    /**
     * Whether the parameters loaded last are, as the floats the network computes with, the first
     * {@link Conv4Spec#numParams()} entries of {@code params} (its passes at them have the same bits).
     */
    boolean holds(double[] params);

    /** How many times parameters with new values were loaded. */
    long weightLoads();

    @Override
    void close();
}
