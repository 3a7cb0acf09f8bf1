package ai.metaspark.model.conv;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The Conv-4 embedding network of the few-shot papers: {@code blocks} blocks of [3x3 convolution, batch norm, ReLU]
 * over {@code channels x imageSize x imageSize} images, in one of two {@link Variant}s.
 *
 * <p><b>Flat parameter layout</b> ({@link #numParams()} floats), block after block, for block {@code b}:
 * <ol>
 *   <li>conv weights {@code W[filters, cin, 3, 3]} row-major (OIHW), {@code cin = channels} for block 0, else
 *       {@code filters};</li>
 *   <li>batch-norm scale {@code gamma[filters]};</li>
 *   <li>batch-norm shift {@code beta[filters]}.</li>
 * </ol>
 * There is no conv bias: batch norm over the batch statistics subtracts the per-channel mean right after the
 * convolution, so a bias there cancels exactly and its gradient is exactly zero (MAML's reference keeps one; it never
 * moves). Use {@link #weightOffset}, {@link #gammaOffset} and {@link #betaOffset} rather than computing offsets.
 *
 * @param imageSize height = width of the input images (28 for Omniglot)
 * @param channels  input channels (1 for Omniglot)
 * @param filters   output channels of every block (64)
 * @param blocks    number of blocks (4)
 * @param variant   {@link Variant#POOL} or {@link Variant#STRIDED}
 */
public record Conv4Spec(int imageSize, int channels, int filters, int blocks, Variant variant) implements Serializable {
    /** Batch-norm epsilon (PyTorch's default, as in the Prototypical Networks code). */
    public static final float BN_EPS = 1e-5f;
    /** Convolution kernel height = width. */
    public static final int KERNEL = 3;

    /** How a block reduces the spatial size. */
    public enum Variant {
        /**
         * Prototypical Networks / Matching Networks: conv stride 1 pad 1, batch norm, ReLU, 2x2 max-pool stride 2
         * (floor): 28 &rarr; 14 &rarr; 7 &rarr; 3 &rarr; 1. The embedding is the last block's output flattened in
         * (channel, row, column) order: 64 values for 28x28 inputs and 4 blocks.
         */
        POOL,
        /**
         * MAML's Omniglot network (cbfinn/maml {@code conv_block} with {@code max_pool=False}): conv stride 2 with
         * TensorFlow "SAME" padding, batch norm, ReLU, no pooling: 28 &rarr; 14 &rarr; 7 &rarr; 4 &rarr; 2, then the
         * mean over the remaining spatial positions ({@code reduce_mean(hidden4, [1, 2])}): embedding = filters.
         * "SAME" pads {@code total = max((out - 1) * 2 + 3 - in, 0)} with {@code total / 2} before and the rest after
         * (28: 0 before, 1 after; 7: 1 and 1), exactly as TensorFlow does.
         */
        STRIDED
    }

    public Conv4Spec {
        if (imageSize < 1 || channels < 1 || filters < 1 || blocks < 1 || variant == null) {
            throw new IllegalArgumentException("Conv4Spec needs positive imageSize, channels, filters, blocks and a variant; got "
                    + imageSize + ", " + channels + ", " + filters + ", " + blocks + ", " + variant);
        }
        int h = imageSize;
        for (int b = 0; b < blocks; b++) {
            h = variant == Variant.POOL ? h / 2 : (h + 1) / 2;
            if (h < 1) {
                throw new IllegalArgumentException("image size " + imageSize + " is too small for " + blocks + " " + variant + " blocks");
            }
        }
    }

    /** The Omniglot network of the papers: 28x28x1 images, 64 filters, 4 blocks. */
    public static Conv4Spec omniglot(Variant variant) {
        return new Conv4Spec(28, 1, 64, 4, variant);
    }

    /** Floats per input image: {@code channels * imageSize * imageSize}, laid out CHW. */
    public int inputSize() {
        return channels * imageSize * imageSize;
    }

    /** Input channels of block {@code b}. */
    public int inChannels(int b) {
        return b == 0 ? channels : filters;
    }

    /** Spatial size (height = width) of the input of block {@code b}; {@code b = blocks} gives the last output. */
    public int spatialIn(int b) {
        int h = imageSize;
        for (int i = 0; i < b; i++) {
            h = variant == Variant.POOL ? h / 2 : (h + 1) / 2;
        }
        return h;
    }

    /** Spatial size of the convolution output of block {@code b} (before pooling). */
    public int convOut(int b) {
        return variant == Variant.POOL ? spatialIn(b) : (spatialIn(b) + 1) / 2;
    }

    /** Convolution stride. */
    public int stride() {
        return variant == Variant.POOL ? 1 : 2;
    }

    /** Zero padding before (top/left) the input of block {@code b}'s convolution. */
    public int padBefore(int b) {
        return variant == Variant.POOL ? 1 : samePadTotal(b) / 2;
    }

    /** Zero padding after (bottom/right) the input of block {@code b}'s convolution. */
    public int padAfter(int b) {
        return variant == Variant.POOL ? 1 : samePadTotal(b) - samePadTotal(b) / 2;
    }

    private int samePadTotal(int b) {
        return Math.max((convOut(b) - 1) * 2 + KERNEL - spatialIn(b), 0);
    }

    /** Length of one embedding: POOL flattens the last output, STRIDED averages it over space. */
    public int embeddingSize() {
        int h = spatialIn(blocks);
        return variant == Variant.POOL ? filters * h * h : filters;
    }

    /** Number of conv weights of block {@code b}. */
    public int weightCount(int b) {
        return filters * inChannels(b) * KERNEL * KERNEL;
    }

    /** Offset of block {@code b}'s conv weights in the flat vector. */
    public int weightOffset(int b) {
        int off = 0;
        for (int i = 0; i < b; i++) {
            off += weightCount(i) + 2 * filters;
        }
        return off;
    }

    public int gammaOffset(int b) {
        return weightOffset(b) + weightCount(b);
    }

    public int betaOffset(int b) {
        return gammaOffset(b) + filters;
    }

    public int numParams() {
        return weightOffset(blocks);
    }

    /**
     * Glorot-uniform conv weights (MAML's {@code xavier_initializer_conv2d}: limit sqrt(6 / (fan_in + fan_out)) with
     * fan = channels x 9), gamma = 1, beta = 0. Deterministic in {@code seed}.
     */
    public double[] initialParams(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] p = new double[numParams()];
        for (int b = 0; b < blocks; b++) {
            double limit = Math.sqrt(6.0 / ((inChannels(b) + filters) * KERNEL * KERNEL));
            for (int i = weightOffset(b); i < gammaOffset(b); i++) {
                p[i] = limit * (2 * rng.nextDouble() - 1);
            }
            java.util.Arrays.fill(p, gammaOffset(b), betaOffset(b), 1.0);
        }
        return p;
    }

    /** Multiply-adds x 2 of block {@code b}'s convolution forward, per image. */
    public long convFlops(int b) {
        long out = convOut(b);
        return 2L * out * out * filters * inChannels(b) * KERNEL * KERNEL;
    }

    /**
     * Convolution FLOPs per image that an exact Hessian-vector product adds to the gradient pass it reuses (the
     * R-operator of {@link Conv4Net#directionalForward} and {@link Conv4Net#directionalBackward}): per block two
     * forward, two backward-weights and two backward-data convolutions, block 1 one, one and none.
     */
    public long hessianVectorFlopsPerImage() {
        long f = 0;
        for (int b = 0; b < blocks; b++) {
            f += (b == 0 ? 2 : 6) * convFlops(b);
        }
        return f;
    }

    /**
     * Convolution FLOPs per image of one forward + backward pass as {@link Conv4Net} computes it: forward and
     * backward-weights of every block, backward-data of every block but the first (no input gradient needed).
     * Batch norm, ReLU and pooling are not counted.
     */
    public long trainFlopsPerImage() {
        long f = 0;
        for (int b = 0; b < blocks; b++) {
            f += (b == 0 ? 2 : 3) * convFlops(b);
        }
        return f;
    }
}
