package ai.metaspark.model.conv;

import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * The R-operator of one {@link Conv4Plan} (Pearlmutter 1994, "Fast exact multiplication by the Hessian"): the
 * directional derivative {@code R{f} = d/de f(theta + e v)} of the forward and the backward pass, so that
 * {@code R{grad} = H v} exactly (almost everywhere: ReLU masks and max-pool choices are those of theta).
 *
 * <p>It works on the plan's last forward <em>and</em> backward at theta (the activations, batch statistics, masks and
 * gradients they left behind) and reuses the plan's convolution primitives with other arguments: convolution is
 * bilinear, so {@code R z = conv(R x, W) + conv(x, V_W)}, {@code R gW = bwdW(R x, gz) + bwdW(x, R gz)} and
 * {@code R gx = bwdData(R gz, W) + bwdData(gz, V_W)}. Batch norm (through the batch statistics), the ReLU mask,
 * max-pool and the spatial mean run in Java on the activations in their {@link ActLayout}, in double. The equations
 * are in docs/algorithms.md ("Exact Hessian-vector products on Conv-4").
 */
final class Conv4RPass implements AutoCloseable {
    private final Conv4Spec spec;
    private final Dnnl d;
    private final NativeScope scope = new NativeScope();
    private final ParamBuffers params;
    private final RBlock[] blocks;

    Conv4RPass(Conv4Spec spec, Conv4Plan plan, Dnnl shared, ParamBuffers params) {
        this.spec = spec;
        this.params = params;
        this.d = new Dnnl(shared.eng, shared.strm, scope);
        blocks = new RBlock[spec.blocks()];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = new RBlock(plan.blocks.get(b), plan);
        }
    }

    /**
     * R of the embeddings ({@code [n, embeddingSize]}, NCHW order as {@link Conv4Net#forward}) for the direction
     * {@code v} over the conv parameters ({@link Conv4Spec}'s flat layout).
     */
    float[] forward(float[] v) {
        float[] rx = null;
        for (RBlock k : blocks) {
            rx = k.forward(v, rx);
        }
        return embedding(rx);
    }

    /** From R of the embedding gradient ({@code [n, embeddingSize]}), writes R of the conv parameters' gradient. */
    void backward(float[] rDEmb, float[] hv) {
        float[] rgOut = embeddingGradient(rDEmb);
        for (int b = blocks.length - 1; b >= 0; b--) {
            rgOut = blocks[b].backward(rgOut, hv);
        }
    }

    private ActLayout last() {
        return blocks[blocks.length - 1].outL;
    }

    private float[] embedding(float[] r) {
        ActLayout l = last();
        boolean pool = spec.variant() == Conv4Spec.Variant.POOL;
        int hw = l.h() * l.w();
        float[] e = new float[l.n() * spec.embeddingSize()];
        for (int i = 0; i < l.n(); i++) {
            for (int c = 0; c < l.c(); c++) {
                for (int y = 0; y < l.h(); y++) {
                    for (int x = 0; x < l.w(); x++) {
                        float val = r[l.offset(i, c, y, x)];
                        if (pool) e[(i * l.c() + c) * hw + y * l.w() + x] = val;
                        else e[i * l.c() + c] += val / hw;
                    }
                }
            }
        }
        return e;
    }

    private float[] embeddingGradient(float[] dEmb) {
        ActLayout l = last();
        boolean pool = spec.variant() == Conv4Spec.Variant.POOL;
        int hw = l.h() * l.w();
        float[] g = new float[l.size()];
        for (int i = 0; i < l.n(); i++) {
            for (int c = 0; c < l.c(); c++) {
                for (int y = 0; y < l.h(); y++) {
                    for (int x = 0; x < l.w(); x++) {
                        g[l.offset(i, c, y, x)] = pool ? dEmb[(i * l.c() + c) * hw + y * l.w() + x] : dEmb[i * l.c() + c] / hw;
                    }
                }
            }
        }
        return g;
    }

    /** One block's R-memories, its steps over the plan's primitives, and the Java state kept from R-forward to R-backward. */
    private final class RBlock {
        final Conv4Plan.Block k;
        final int b;
        final ActLayout inL;
        final ActLayout convL;
        final ActLayout outL;
        final int[] ch;
        final int c;
        final memory vUser;
        final memory vF;
        final memory vB;
        final memory rx;
        final memory rz1;
        final memory rz2;
        final memory rgz;
        final memory rgx1;
        final memory rgx2;
        final memory rdW1;
        final memory rdW2;
        final FloatPointer vUserP;
        final FloatPointer rxP;
        final FloatPointer rz1P;
        final FloatPointer rz2P;
        final FloatPointer rgzP;
        final FloatPointer rgx1P;
        final FloatPointer rgx2P;
        final FloatPointer rdW1P;
        final FloatPointer rdW2P;
        final FloatPointer zP;
        final FloatPointer aP;
        final FloatPointer gaP;
        final FloatPointer gzP;
        final FloatPointer meanP;
        final FloatPointer varP;
        final List<Runnable> directionIn = new ArrayList<>();
        final List<Runnable> rForward = new ArrayList<>();
        final List<Runnable> rWeights = new ArrayList<>();
        final List<Runnable> rData = new ArrayList<>();
        // Java state of the last R-forward, used by the R-backward
        final double[] s;
        final double[] meanXhRz;
        final double[] vg;
        final double[] vt;
        final double[] g;
        final double[] xh;
        final double[] rxh;
        final boolean[] mask;
        final int[] argmax;

        RBlock(Conv4Plan.Block k, Conv4Plan plan) {
            this.k = k;
            this.b = k.b;
            this.c = spec.filters();
            int hin = spec.spatialIn(b);
            inL = plan.layout(spec.inChannels(b), hin);
            convL = plan.layout(c, spec.convOut(b));
            outL = plan.layout(c, spec.spatialIn(b + 1));
            ch = convL.channels();
            memory.desc wUser = d.desc(new long[] {c, spec.inChannels(b), Conv4Spec.KERNEL, Conv4Spec.KERNEL}, memory.format_tag.oihw);
            vUser = d.mem(wUser);
            vF = d.as(vUser, scope.keep(k.convPd.weights_desc()), directionIn);
            vB = b == 0 ? null : d.as(vUser, scope.keep(k.bwdDPd.weights_desc()), directionIn);
            rz1 = d.mem(k.z.get_desc());
            rz2 = d.mem(k.z.get_desc());
            rgz = d.mem(k.z.get_desc());
            d.step(rForward, k.conv, d.args(DNNL_ARG_SRC, k.src, DNNL_ARG_WEIGHTS, vF, DNNL_ARG_DST, rz2));
            memory.desc dwD = scope.keep(k.bwdWPd.diff_weights_desc());
            rdW1 = b == 0 ? null : d.mem(dwD);
            rdW2 = d.mem(dwD);
            memory rgzW = d.as(rgz, scope.keep(k.bwdWPd.diff_dst_desc()), rWeights);
            d.step(rWeights, k.bwdW, d.args(DNNL_ARG_SRC, k.bwdWSrc, DNNL_ARG_DIFF_DST, rgzW, DNNL_ARG_DIFF_WEIGHTS, rdW2));
            memory w2 = d.as(rdW2, wUser, rWeights);
            rdW2P = Dnnl.floats(w2, scope);
            if (b == 0) {
                rx = null;
                rgx1 = null;
                rgx2 = null;
                rxP = null;
                rgx1P = null;
                rgx2P = null;
                rdW1P = null;
            } else {
                rx = d.mem(k.x.get_desc());
                memory rxConv = d.as(rx, scope.keep(k.convPd.src_desc()), rForward);
                d.step(rForward, k.conv, d.args(DNNL_ARG_SRC, rxConv, DNNL_ARG_WEIGHTS, k.wF, DNNL_ARG_DST, rz1));
                memory rxW = d.as(rx, scope.keep(k.bwdWPd.src_desc()), rWeights);
                d.step(rWeights, k.bwdW, d.args(DNNL_ARG_SRC, rxW, DNNL_ARG_DIFF_DST, k.bwdWDiffDst, DNNL_ARG_DIFF_WEIGHTS, rdW1));
                rdW1P = Dnnl.floats(d.as(rdW1, wUser, rWeights), scope);
                memory.desc dSrcD = scope.keep(k.bwdDPd.diff_src_desc());
                memory rgzD = d.as(rgz, scope.keep(k.bwdDPd.diff_dst_desc()), rData);
                memory g1 = d.mem(dSrcD);
                memory g2 = d.mem(dSrcD);
                d.step(rData, k.bwdD, d.args(DNNL_ARG_DIFF_DST, rgzD, DNNL_ARG_WEIGHTS, k.wB, DNNL_ARG_DIFF_SRC, g1));
                d.step(rData, k.bwdD, d.args(DNNL_ARG_DIFF_DST, k.bwdDDiffDst, DNNL_ARG_WEIGHTS, vB, DNNL_ARG_DIFF_SRC, g2));
                rgx1 = d.as(g1, k.x.get_desc(), rData);
                rgx2 = d.as(g2, k.x.get_desc(), rData);
                rxP = Dnnl.floats(rx, scope);
                rgx1P = Dnnl.floats(rgx1, scope);
                rgx2P = Dnnl.floats(rgx2, scope);
            }
            vUserP = Dnnl.floats(vUser, scope);
            rz1P = Dnnl.floats(rz1, scope);
            rz2P = Dnnl.floats(rz2, scope);
            rgzP = Dnnl.floats(rgz, scope);
            zP = Dnnl.floats(k.z, scope);
            aP = Dnnl.floats(k.a, scope);
            gaP = Dnnl.floats(k.ga, scope);
            gzP = Dnnl.floats(k.gz, scope);
            meanP = Dnnl.floats(k.mean, scope);
            varP = Dnnl.floats(k.var, scope);
            s = new double[c];
            meanXhRz = new double[c];
            vg = new double[c];
            vt = new double[c];
            g = new double[c];
            xh = new double[convL.size()];
            rxh = new double[convL.size()];
            mask = new boolean[convL.size()];
            argmax = spec.variant() == Conv4Spec.Variant.POOL ? new int[outL.size()] : null;
        }

        /** R-forward of the block: from R of its input ({@code null} for block 0) to R of its output. */
        float[] forward(float[] v, float[] rxIn) {
            vUserP.put(v, spec.weightOffset(b), spec.weightCount(b));
            for (int q = 0; q < c; q++) {
                vg[q] = v[spec.gammaOffset(b) + q];
                vt[q] = v[spec.betaOffset(b) + q];
            }
            params.gamma(b, g);
            if (rxIn != null) {
                rxP.put(rxIn, 0, rxIn.length);
            }
            Dnnl.run(directionIn);
            Dnnl.run(rForward);
            d.strm._wait();
            float[] ra = batchNormForward();
            return argmax == null ? ra : poolForward(ra);
        }

        /**
         * Batch norm + ReLU, R-forward: {@code Rxh = s (Rz - mean Rz - xh mean(xh Rz))}, {@code Ry = V_g xh + g Rxh + V_t},
         * {@code Ra = [a > 0] Ry}.
         */
        private float[] batchNormForward() {
            int n = convL.size();
            float[] z = read(zP, n);
            float[] a = read(aP, n);
            float[] r1 = b == 0 ? null : read(rz1P, n);
            float[] r2 = read(rz2P, n);
            float[] mean = read(meanP, c);
            float[] var = read(varP, c);
            double[] rz = new double[n];
            double[] meanRz = new double[c];
            java.util.Arrays.fill(meanXhRz, 0);
            for (int q = 0; q < c; q++) s[q] = 1 / Math.sqrt(var[q] + (double) Conv4Spec.BN_EPS);
            for (int i = 0; i < n; i++) {
                int q = ch[i];
                xh[i] = (z[i] - mean[q]) * s[q];
                rz[i] = r2[i] + (r1 == null ? 0 : r1[i]);
                mask[i] = a[i] > 0;
                meanRz[q] += rz[i];
                meanXhRz[q] += xh[i] * rz[i];
            }
            double m = convL.perChannel();
            for (int q = 0; q < c; q++) {
                meanRz[q] /= m;
                meanXhRz[q] /= m;
            }
            float[] ra = new float[n];
            for (int i = 0; i < n; i++) {
                int q = ch[i];
                rxh[i] = s[q] * (rz[i] - meanRz[q] - xh[i] * meanXhRz[q]);
                ra[i] = mask[i] ? (float) (vg[q] * xh[i] + g[q] * rxh[i] + vt[q]) : 0f;
            }
            return ra;
        }

        /** 2x2 max-pool, stride 2, floor: R of the output is R of the input at the forward's argmax (kept for the backward). */
        private float[] poolForward(float[] ra) {
            float[] a = read(aP, convL.size());
            float[] out = new float[outL.size()];
            for (int i = 0; i < outL.n(); i++) {
                for (int q = 0; q < c; q++) {
                    for (int y = 0; y < outL.h(); y++) {
                        for (int x = 0; x < outL.w(); x++) {
                            int best = convL.offset(i, q, 2 * y, 2 * x);
                            for (int dy = 0; dy < 2; dy++) {
                                for (int dx = 0; dx < 2; dx++) {
                                    int at = convL.offset(i, q, 2 * y + dy, 2 * x + dx);
                                    if (a[at] > a[best]) best = at;
                                }
                            }
                            int o = outL.offset(i, q, y, x);
                            argmax[o] = best;
                            out[o] = ra[best];
                        }
                    }
                }
            }
            return out;
        }

        /**
         * R-backward of the block: from R of the gradient at its output to R of the gradient at its input (null for
         * block 0), adding R of its parameters' gradient into {@code hv}.
         */
        float[] backward(float[] rgOut, float[] hv) {
            float[] rga = rgOut;
            if (argmax != null) {
                rga = new float[convL.size()];
                for (int o = 0; o < argmax.length; o++) rga[argmax[o]] += rgOut[o];
            }
            batchNormBackward(rga, hv);
            Dnnl.run(rWeights);
            if (b > 0) Dnnl.run(rData);
            d.strm._wait();
            int wc = spec.weightCount(b);
            int w0 = spec.weightOffset(b);
            float[] w2 = read(rdW2P, wc);
            float[] w1 = b == 0 ? null : read(rdW1P, wc);
            for (int i = 0; i < wc; i++) hv[w0 + i] = w2[i] + (w1 == null ? 0 : w1[i]);
            if (b == 0) return null;
            float[] g1 = read(rgx1P, inL.size());
            float[] g2 = read(rgx2P, inL.size());
            for (int i = 0; i < g1.length; i++) g1[i] += g2[i];
            return g1;
        }

        /**
         * Batch norm + ReLU, R-backward: {@code R gy = [a > 0] R ga}, {@code R dgamma = sum(R gy xh + gy Rxh)},
         * {@code R dbeta = sum(R gy)}, and {@code R gz = (R s / s) gz + BNbwd(R gxh) - s (Rxh mean(gxh xh) + xh mean(gxh Rxh))}
         * with {@code gxh = g gy}, {@code R gxh = V_g gy + g R gy}, {@code R s / s = -s mean(xh Rz)}; writes R gz to the
         * native memory the convolutions read.
         */
        private void batchNormBackward(float[] rga, float[] hv) {
            int n = convL.size();
            float[] ga = read(gaP, n);
            float[] gz = read(gzP, n);
            double[] rdg = new double[c];
            double[] rdt = new double[c];
            double[] gxhXh = new double[c];
            double[] gxhRxh = new double[c];
            double[] meanRgxh = new double[c];
            double[] xhRgxh = new double[c];
            double[] rgxh = new double[n];
            for (int i = 0; i < n; i++) {
                if (!mask[i]) continue;
                int q = ch[i];
                double gy = ga[i];
                double rgy = rga[i];
                rdg[q] += rgy * xh[i] + gy * rxh[i];
                rdt[q] += rgy;
                double gxh = g[q] * gy;
                gxhXh[q] += gxh * xh[i];
                gxhRxh[q] += gxh * rxh[i];
                rgxh[i] = vg[q] * gy + g[q] * rgy;
                meanRgxh[q] += rgxh[i];
                xhRgxh[q] += xh[i] * rgxh[i];
            }
            double m = convL.perChannel();
            for (int q = 0; q < c; q++) {
                gxhXh[q] /= m;
                gxhRxh[q] /= m;
                meanRgxh[q] /= m;
                xhRgxh[q] /= m;
                hv[spec.gammaOffset(b) + q] = (float) rdg[q];
                hv[spec.betaOffset(b) + q] = (float) rdt[q];
            }
            float[] rgzArr = new float[n];
            for (int i = 0; i < n; i++) {
                int q = ch[i];
                double bnBwd = rgxh[i] - meanRgxh[q] - xh[i] * xhRgxh[q];
                rgzArr[i] = (float) (-s[q] * meanXhRz[q] * gz[i]
                        + s[q] * (bnBwd - rxh[i] * gxhXh[q] - xh[i] * gxhRxh[q]));
            }
            rgzP.put(rgzArr, 0, n);
        }
    }

    private static float[] read(FloatPointer p, int n) {
        float[] a = new float[n];
        p.get(a, 0, n);
        return a;
    }

    @Override
    public void close() {
        scope.close();
    }
}
