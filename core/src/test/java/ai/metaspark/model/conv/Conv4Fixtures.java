package ai.metaspark.model.conv;

import ai.metaspark.model.conv.Conv4Spec.Variant;

import java.util.SplittableRandom;

/** Small Conv-4 shapes and parameters for the exactness tests of the oneDNN network against the float64 reference. */
public final class Conv4Fixtures {
    private Conv4Fixtures() {
    }

    /** 8 filters, 4 blocks: 14x14 inputs for STRIDED (14-7-4-2-1), 16x16 for POOL (16-8-4-2-1). */
    public static Conv4Spec small(Variant v) {
        return v == Variant.STRIDED ? new Conv4Spec(14, 1, 8, 4, Variant.STRIDED) : new Conv4Spec(16, 1, 8, 4, Variant.POOL);
    }

    /** Initial classifier parameters with gamma, beta and the head bias moved off 1, 0 and 0. */
    public static double[] params(Conv4Spec spec, int classes, long seed) {
        double[] p = Conv4Classifier.initialParams(spec, classes, seed);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        for (int b = 0; b < spec.blocks(); b++) {
            for (int c = 0; c < spec.filters(); c++) {
                p[spec.gammaOffset(b) + c] = 0.5 + rng.nextDouble();
                p[spec.betaOffset(b) + c] = 0.4 * rng.nextDouble() - 0.2;
            }
        }
        int bias = spec.numParams() + spec.embeddingSize() * classes;
        for (int j = 0; j < classes; j++) p[bias + j] = 0.3 * rng.nextGaussian();
        return p;
    }
}
