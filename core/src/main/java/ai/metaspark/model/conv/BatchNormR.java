package ai.metaspark.model.conv;

/**
 * The R-operator of one batch norm (on the batch statistics) with its fused ReLU, on float arrays in an
 * {@link ActLayout}: the Java half of {@link Conv4RPass}. With {@code xh = (z - mean z) s}, {@code s = (var z + eps)^-1/2},
 * {@code m = n h w} elements per channel and the ReLU mask {@code [a > 0]} of the forward pass:
 * <ul>
 *   <li>forward: {@code Rxh = s (Rz - mean Rz - xh mean(xh Rz))}, {@code Ra = [a > 0] (V_g xh + g Rxh + V_t)};</li>
 *   <li>backward, from {@code ga} (the gradient at a) and its R: {@code gy = [a > 0] ga}, {@code gxh = g gy},
 *       {@code R dgamma = sum(R gy xh + gy Rxh)}, {@code R dbeta = sum(R gy)}, {@code R gxh = V_g gy + g R gy} and
 *       {@code R gz = -s mean(xh Rz) gz + s (R gxh - mean R gxh - xh mean(xh R gxh) - Rxh mean(gxh xh) - xh mean(gxh Rxh))}.</li>
 * </ul>
 * Each of the four sweeps (two per pass) walks the chunks of the layout, a chunk being the {@code h w} positions of
 * one image and one channel block (contiguous, image-major); a channel's sums add its positions in order within a
 * chunk, then the chunks' sums in order. {@link BatchNormLanes} runs the sweeps on the Java Vector API (one lane a
 * channel, so the very same additions: the same bits) where the JVM has {@code jdk.incubator.vector}; this class runs
 * them a channel at a time otherwise. The forward keeps {@code xh}, {@code Rxh}, the mask and {@code mean(xh Rz)} for
 * the backward.
 */
final class BatchNormR {
    final int block;
    final int hw;
    /** Chunks: images times channel blocks. */
    final int chunks;
    final int blocksPerImage;
    final float m;
    final float[] s;
    final float[] xh;
    final float[] rxh;
    final float[] mask;
    final float[] rgxh;
    final float[] meanRz;
    final float[] meanXhRz;
    /** Per-channel sums of the backward: gxh xh, gxh Rxh, R gxh, xh R gxh (then their means). */
    final float[][] sums;
    private final BatchNormLanes lanes;

    /** Whether this JVM resolved {@code jdk.incubator.vector} ({@code --add-modules}, as conf/jvm.properties has it). */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** On the Vector API where this JVM has it and the layout suits it ({@link #lanesFit}). */
    BatchNormR(ActLayout l) {
        this(l, lanesFit(l.block()));
    }

    /**
     * Whether the Vector API sweeps run channel blocks of {@code block}: the JVM has the module and the block is a
     * whole number of this CPU's vectors (16: one AVX-512 vector or two AVX2 ones).
     */
    static boolean lanesFit(int block) {
        return VECTOR_API && block % BatchNormLanes.lanes() == 0;
    }

    /** {@code useLanes}: the Vector API sweeps (which must fit), else the per-channel ones. */
    BatchNormR(ActLayout l, boolean useLanes) {
        block = l.block();
        hw = l.h() * l.w();
        blocksPerImage = l.c() / block;
        chunks = l.n() * blocksPerImage;
        m = l.perChannel();
        int len = l.size();
        s = new float[l.c()];
        xh = new float[len];
        rxh = new float[len];
        mask = new float[len];
        rgxh = new float[len];
        meanRz = new float[l.c()];
        meanXhRz = new float[l.c()];
        sums = new float[4][l.c()];
        if (useLanes && !lanesFit(block)) {
            throw new IllegalArgumentException("the Vector API sweeps do not fit channel blocks of " + block);
        }
        lanes = useLanes ? new BatchNormLanes(this) : null;
    }

    /** Whether the sweeps run on the Vector API. */
    boolean onLanes() {
        return lanes != null;
    }

    /** The first element of chunk {@code k}. */
    int base(int k) {
        return k * hw * block;
    }

    /** The first channel of chunk {@code k}'s channel block. */
    int firstChannel(int k) {
        return k % blocksPerImage * block;
    }

    /** R-forward: writes {@code Ra} for the direction's {@code rz} (R of the conv output) and {@code vg}, {@code vt}. */
    void forward(float[] z, float[] a, float[] mean, float[] var, float[] g, float[] rz, float[] vg, float[] vt, float[] ra) {
        for (int q = 0; q < s.length; q++) {
            s[q] = (float) (1 / Math.sqrt(var[q] + (double) Conv4Spec.BN_EPS));
        }
        java.util.Arrays.fill(meanRz, 0);
        java.util.Arrays.fill(meanXhRz, 0);
        if (lanes != null) lanes.forwardSums(z, a, mean, rz);
        else forwardSums(z, a, mean, rz);
        for (int q = 0; q < s.length; q++) {
            meanRz[q] /= m;
            meanXhRz[q] /= m;
        }
        if (lanes != null) lanes.forwardOut(g, rz, vg, vt, ra);
        else forwardOut(g, rz, vg, vt, ra);
    }

    /**
     * R-backward after {@link #forward}: from the forward's gradients {@code ga}, {@code gz} and {@code rga} (R of the
     * gradient at a), writes {@code rgz} (R of the gradient at the conv output), {@code rdg} and {@code rdt}.
     */
    void backward(float[] ga, float[] gz, float[] rga, float[] g, float[] vg, float[] rgz, float[] rdg, float[] rdt) {
        for (float[] a : sums) java.util.Arrays.fill(a, 0);
        java.util.Arrays.fill(rdg, 0);
        java.util.Arrays.fill(rdt, 0);
        if (lanes != null) lanes.backwardSums(ga, rga, g, vg, rdg, rdt);
        else backwardSums(ga, rga, g, vg, rdg, rdt);
        for (float[] a : sums) {
            for (int q = 0; q < s.length; q++) a[q] /= m;
        }
        if (lanes != null) lanes.backwardOut(gz, rgz);
        else backwardOut(gz, rgz);
    }

    /** {@code xh}, the mask, and the sums of {@code Rz} and {@code xh Rz} into {@code meanRz}, {@code meanXhRz}. */
    private void forwardSums(float[] z, float[] a, float[] mean, float[] rz) {
        for (int k = 0; k < chunks; k++) {
            for (int j = 0; j < block; j++) {
                int q = firstChannel(k) + j;
                float mu = mean[q];
                float sq = s[q];
                float sumRz = 0;
                float sumXhRz = 0;
                for (int p = 0, i = base(k) + j; p < hw; p++, i += block) {
                    float x = (z[i] - mu) * sq;
                    xh[i] = x;
                    mask[i] = maskOf(a[i]);
                    sumRz += rz[i];
                    sumXhRz += x * rz[i];
                }
                meanRz[q] += sumRz;
                meanXhRz[q] += sumXhRz;
            }
        }
    }

    /** The ReLU mask: 1 where the forward's output {@code a} is positive, else 0. */
    static float maskOf(float a) {
        return a > 0 ? 1 : 0;
    }

    private void forwardOut(float[] g, float[] rz, float[] vg, float[] vt, float[] ra) {
        for (int k = 0; k < chunks; k++) {
            for (int j = 0; j < block; j++) {
                int q = firstChannel(k) + j;
                float sq = s[q];
                float mr = meanRz[q];
                float mxr = meanXhRz[q];
                float gq = g[q];
                float vgq = vg[q];
                float vtq = vt[q];
                for (int p = 0, i = base(k) + j; p < hw; p++, i += block) {
                    float r = sq * (rz[i] - mr - xh[i] * mxr);
                    rxh[i] = r;
                    ra[i] = mask[i] * (vgq * xh[i] + gq * r + vtq);
                }
            }
        }
    }

    private void backwardSums(float[] ga, float[] rga, float[] g, float[] vg, float[] rdg, float[] rdt) {
        for (int k = 0; k < chunks; k++) {
            for (int j = 0; j < block; j++) {
                int q = firstChannel(k) + j;
                float gq = g[q];
                float vgq = vg[q];
                float sDg = 0;
                float sDt = 0;
                float sGxhXh = 0;
                float sGxhRxh = 0;
                float sRgxh = 0;
                float sXhRgxh = 0;
                for (int p = 0, i = base(k) + j; p < hw; p++, i += block) {
                    float gy = mask[i] * ga[i];
                    float rgy = mask[i] * rga[i];
                    float x = xh[i];
                    float rx = rxh[i];
                    sDg += rgy * x + gy * rx;
                    sDt += rgy;
                    sGxhXh += gy * x;
                    sGxhRxh += gy * rx;
                    float r = vgq * gy + gq * rgy;
                    rgxh[i] = r;
                    sRgxh += r;
                    sXhRgxh += x * r;
                }
                rdg[q] += sDg;
                rdt[q] += sDt;
                sums[0][q] += gq * sGxhXh;
                sums[1][q] += gq * sGxhRxh;
                sums[2][q] += sRgxh;
                sums[3][q] += sXhRgxh;
            }
        }
    }

    private void backwardOut(float[] gz, float[] rgz) {
        for (int k = 0; k < chunks; k++) {
            for (int j = 0; j < block; j++) {
                int q = firstChannel(k) + j;
                float sq = s[q];
                float mr = sums[2][q];
                float xr = sums[3][q] + sums[1][q];
                float gx = sums[0][q];
                float mxr = meanXhRz[q];
                for (int p = 0, i = base(k) + j; p < hw; p++, i += block) {
                    rgz[i] = sq * (rgxh[i] - mr - xh[i] * xr - rxh[i] * gx - mxr * gz[i]);
                }
            }
        }
    }
}
