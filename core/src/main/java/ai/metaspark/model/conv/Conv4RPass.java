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
 * {@code R gx = bwdData(R gz, W) + bwdData(gz, V_W)}, each pair added by a oneDNN sum primitive. Batch norm (through
 * the batch statistics) and the ReLU mask run in Java ({@link BatchNormR}, f32) on the activations in their
 * {@link ActLayout}, as do the max-pool gather and scatter and the spatial mean. The equations are in
 * docs/algorithms.md ("Exact Hessian-vector products on Conv-4").
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
        final int c;
        final FloatPointer vUserP;
        final FloatPointer rxP;
        final FloatPointer rzP;
        final FloatPointer rgzP;
        final FloatPointer rgxP;
        final FloatPointer rdWP;
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
        final BatchNormR bn;
        final int[] argmax;
        // scratch, reused call after call
        final float[] z;
        final float[] a;
        final float[] rz;
        final float[] ra;
        final float[] ga;
        final float[] gz;
        final float[] rga;
        final float[] rgz;
        final float[] mean;
        final float[] var;
        final float[] g;
        final float[] vg;
        final float[] vt;
        final float[] rdg;
        final float[] rdt;
        final float[] poolOut;
        final float[] rgx;

        RBlock(Conv4Plan.Block k, Conv4Plan plan) {
            this.k = k;
            this.b = k.b;
            this.c = spec.filters();
            int hin = spec.spatialIn(b);
            inL = plan.layout(spec.inChannels(b), hin);
            convL = plan.layout(c, spec.convOut(b));
            outL = plan.layout(c, spec.spatialIn(b + 1));
            memory.desc wUser = d.desc(new long[] {c, spec.inChannels(b), Conv4Spec.KERNEL, Conv4Spec.KERNEL}, memory.format_tag.oihw);
            memory vUser = d.mem(wUser);
            memory vF = d.as(vUser, scope.keep(k.convPd.weights_desc()), directionIn);
            memory viaV = d.mem(k.z.get_desc());
            memory rgzM = d.mem(k.z.get_desc());
            d.step(rForward, k.conv, d.args(DNNL_ARG_SRC, k.src, DNNL_ARG_WEIGHTS, vF, DNNL_ARG_DST, viaV));
            memory.desc dwD = scope.keep(k.bwdWPd.diff_weights_desc());
            memory rdW2 = d.mem(dwD);
            memory rgzW = d.as(rgzM, scope.keep(k.bwdWPd.diff_dst_desc()), rWeights);
            d.step(rWeights, k.bwdW, d.args(DNNL_ARG_SRC, k.bwdWSrc, DNNL_ARG_DIFF_DST, rgzW, DNNL_ARG_DIFF_WEIGHTS, rdW2));
            if (b == 0) {
                rxP = null;
                rgxP = null;
                rzP = Dnnl.floats(viaV, scope);
                rdWP = Dnnl.floats(d.as(rdW2, wUser, rWeights), scope);
            } else {
                memory vB = d.as(vUser, scope.keep(k.bwdDPd.weights_desc()), directionIn);
                memory rx = d.mem(k.x.get_desc());
                memory rxConv = d.as(rx, scope.keep(k.convPd.src_desc()), rForward);
                memory viaRx = d.mem(k.z.get_desc());
                d.step(rForward, k.conv, d.args(DNNL_ARG_SRC, rxConv, DNNL_ARG_WEIGHTS, k.wF, DNNL_ARG_DST, viaRx));
                memory rzM = d.mem(k.z.get_desc());
                d.sum(viaRx, viaV, rzM, rForward);
                rzP = Dnnl.floats(rzM, scope);
                memory rxW = d.as(rx, scope.keep(k.bwdWPd.src_desc()), rWeights);
                memory rdW1 = d.mem(dwD);
                d.step(rWeights, k.bwdW, d.args(DNNL_ARG_SRC, rxW, DNNL_ARG_DIFF_DST, k.bwdWDiffDst, DNNL_ARG_DIFF_WEIGHTS, rdW1));
                memory rdW = d.mem(dwD);
                d.sum(rdW1, rdW2, rdW, rWeights); // in the primitive's layout: a sum that changes layouts is 3x slower
                rdWP = Dnnl.floats(d.as(rdW, wUser, rWeights), scope);
                memory.desc dSrcD = scope.keep(k.bwdDPd.diff_src_desc());
                memory rgzD = d.as(rgzM, scope.keep(k.bwdDPd.diff_dst_desc()), rData);
                memory g1 = d.mem(dSrcD);
                memory g2 = d.mem(dSrcD);
                d.step(rData, k.bwdD, d.args(DNNL_ARG_DIFF_DST, rgzD, DNNL_ARG_WEIGHTS, k.wB, DNNL_ARG_DIFF_SRC, g1));
                d.step(rData, k.bwdD, d.args(DNNL_ARG_DIFF_DST, k.bwdDDiffDst, DNNL_ARG_WEIGHTS, vB, DNNL_ARG_DIFF_SRC, g2));
                rxP = Dnnl.floats(rx, scope);
                memory rgx = d.mem(k.x.get_desc());
                d.sum(g1, g2, rgx, rData);
                rgxP = Dnnl.floats(rgx, scope);
            }
            vUserP = Dnnl.floats(vUser, scope);
            rgzP = Dnnl.floats(rgzM, scope);
            zP = Dnnl.floats(k.z, scope);
            aP = Dnnl.floats(k.a, scope);
            gaP = Dnnl.floats(k.ga, scope);
            gzP = Dnnl.floats(k.gz, scope);
            meanP = Dnnl.floats(k.mean, scope);
            varP = Dnnl.floats(k.var, scope);
            int len = convL.size();
            bn = new BatchNormR(convL);
            argmax = spec.variant() == Conv4Spec.Variant.POOL ? new int[outL.size()] : null;
            z = new float[len];
            a = new float[len];
            rz = new float[len];
            ra = new float[len];
            ga = new float[len];
            gz = new float[len];
            rga = new float[len];
            rgz = new float[len];
            mean = new float[c];
            var = new float[c];
            g = new float[c];
            vg = new float[c];
            vt = new float[c];
            rdg = new float[c];
            rdt = new float[c];
            poolOut = argmax == null ? null : new float[outL.size()];
            rgx = new float[inL.size()];
        }

        /**
         * R-forward of the block: from R of its input ({@code null} for block 0) to R of its output (the block's own
         * buffer, valid until its next call).
         */
        float[] forward(float[] v, float[] rxIn) {
            vUserP.put(v, spec.weightOffset(b), spec.weightCount(b));
            System.arraycopy(v, spec.gammaOffset(b), vg, 0, c);
            System.arraycopy(v, spec.betaOffset(b), vt, 0, c);
            params.gamma(b, g);
            if (rxIn != null) {
                rxP.put(rxIn, 0, rxIn.length);
            }
            Dnnl.run(directionIn);
            Dnnl.run(rForward);
            d.strm._wait();
            int len = convL.size();
            zP.get(z, 0, len);
            aP.get(a, 0, len);
            meanP.get(mean, 0, c);
            varP.get(var, 0, c);
            rzP.get(rz, 0, len);
            bn.forward(z, a, mean, var, g, rz, vg, vt, ra);
            return argmax == null ? ra : poolForward(ra);
        }

        /** 2x2 max-pool, stride 2, floor: R of the output is R of the input at the forward's argmax (kept for the backward). */
        private float[] poolForward(float[] ra) {
            float[] out = poolOut;
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
            int len = convL.size();
            if (argmax != null) {
                java.util.Arrays.fill(rga, 0);
                for (int o = 0; o < argmax.length; o++) rga[argmax[o]] += rgOut[o];
            } else {
                System.arraycopy(rgOut, 0, rga, 0, len);
            }
            gaP.get(ga, 0, len);
            gzP.get(gz, 0, len);
            bn.backward(ga, gz, rga, g, vg, rgz, rdg, rdt);
            System.arraycopy(rdg, 0, hv, spec.gammaOffset(b), c);
            System.arraycopy(rdt, 0, hv, spec.betaOffset(b), c);
            rgzP.put(rgz, 0, len);
            Dnnl.run(rWeights);
            if (b > 0) Dnnl.run(rData);
            d.strm._wait();
            int wc = spec.weightCount(b);
            int w0 = spec.weightOffset(b);
            rdWP.get(hv, w0, wc);
            if (b == 0) return null;
            rgxP.get(rgx, 0, rgx.length);
            return rgx;
        }
    }

    @Override
    public void close() {
        scope.close();
    }
}
