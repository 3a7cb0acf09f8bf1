package ai.metaspark.model.conv;

import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.normalization_flags;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

/**
 * All oneDNN primitives and activation memories of a Conv-4 network for one batch size, built once and replayed as
 * lists of steps. Layouts are oneDNN's choice ({@code format_tag.any}, typically nChw16c); the user-facing input,
 * embedding and their gradients are plain NCHW.
 *
 * <p>Per block, forward: conv (no bias) &rarr; batch norm on the batch statistics with the ReLU fused in
 * ({@code fuse_norm_relu}, its mask kept in a workspace) &rarr; 2x2 max-pool (POOL only). Backward, in reverse:
 * max-pool backward &rarr; batch norm + ReLU backward ({@code prop_kind.backward}: through the batch mean and
 * variance, giving d-input, d-gamma, d-beta) &rarr; conv backward-weights and, for every block but the first, conv
 * backward-data written straight into the previous block's output gradient when the layouts agree.
 */
final class Conv4Plan implements AutoCloseable {
    final int n;
    private final Conv4Spec spec;
    private final Dnnl d;
    private final NativeScope scope = new NativeScope();
    private final ParamBuffers params;
    /** Reorders of the loaded weights into the primitives' layouts, run when {@link ParamBuffers#version()} moved. */
    private final List<Runnable> weightsIn = new ArrayList<>();
    private long weightsVersion = -1;
    private final List<Runnable> fwd = new ArrayList<>();
    private final List<Runnable> bwd = new ArrayList<>();
    private final List<Runnable> gradsOut = new ArrayList<>();
    private final List<Runnable> inputGrad = new ArrayList<>();
    private final List<List<Runnable>> blockBwd = new ArrayList<>();
    /** Each block's primitives and memories, for the R-operator ({@link Conv4RPass}). */
    final List<Block> blocks = new ArrayList<>();
    private final memory[] out;
    private final memory[] dOut;
    private final memory xUser;
    private final memory embUser;
    private final memory dEmbUser;
    private final memory dxUser;
    final FloatPointer x;
    final FloatPointer emb;
    final FloatPointer dEmb;
    final FloatPointer dx;

    Conv4Plan(Conv4Spec spec, int n, Dnnl shared, ParamBuffers params) {
        this.spec = spec;
        this.n = n;
        this.params = params;
        this.d = new Dnnl(shared.eng, shared.strm, scope);
        int h = spec.imageSize();
        int hOut = spec.spatialIn(spec.blocks());
        long[] embDims = spec.variant() == Conv4Spec.Variant.POOL
                ? new long[]{n, spec.filters(), hOut, hOut} : new long[]{n, spec.filters(), 1, 1};
        xUser = d.mem(d.desc(new long[]{n, spec.channels(), h, h}, memory.format_tag.nchw));
        dxUser = d.mem(d.desc(new long[]{n, spec.channels(), h, h}, memory.format_tag.nchw));
        embUser = d.mem(d.desc(embDims, memory.format_tag.nchw));
        dEmbUser = d.mem(d.desc(embDims, memory.format_tag.nchw));
        out = new memory[spec.blocks()];
        dOut = new memory[spec.blocks()];
        memory in = xUser;
        for (int b = 0; b < spec.blocks(); b++) {
            in = block(b, in);
        }
        head(in);
        for (int b = spec.blocks() - 1; b >= 0; b--) {
            bwd.addAll(blockBwd.get(b));
        }
        x = Dnnl.floats(xUser, scope);
        emb = Dnnl.floats(embUser, scope);
        dEmb = Dnnl.floats(dEmbUser, scope);
        dx = Dnnl.floats(dxUser, scope);
    }

    /** Runs the forward pass on the input in {@link #x} and the loaded parameters; leaves the result in {@link #emb}. */
    void forward() {
        if (weightsVersion != params.version()) {
            Dnnl.run(weightsIn);
            weightsVersion = params.version();
        }
        Dnnl.run(fwd);
        d.strm._wait();
    }

    /** Backward from {@link #dEmb}: parameter gradients into the {@link ParamBuffers}, and {@link #dx} if asked. */
    void backward(boolean withInputGradient) {
        Dnnl.run(bwd);
        Dnnl.run(gradsOut);
        if (withInputGradient) {
            Dnnl.run(inputGrad);
        }
        d.strm._wait();
    }

    private long[] dims(int c, int hw) {
        return new long[]{n, c, hw, hw};
    }

    /** The fixed activation layout of {@code c} channels of {@code hw x hw}: what the Java side of the R-pass reads. */
    ActLayout layout(int c, int hw) {
        return ActLayout.of(n, c, hw, hw);
    }

    private memory.desc act(int c, int hw) {
        ActLayout l = layout(c, hw);
        return d.desc(l.dims(), l.tag());
    }

    /**
     * Block {@code b} as the R-pass sees it. Activations are in {@link #layout}: {@code x} the block input (block 0:
     * the user's NCHW images), {@code z} the convolution output, {@code a} the BN+ReLU output, {@code ga} and
     * {@code gz} the last backward's gradients with respect to {@code a} and {@code z}.
     */
    static final class Block {
        int b;
        memory x;
        memory src;
        convolution_forward conv;
        convolution_forward.primitive_desc convPd;
        memory wF;
        memory z;
        memory mean;
        memory var;
        memory a;
        memory ga;
        memory gz;
        convolution_backward_weights bwdW;
        convolution_backward_weights.primitive_desc bwdWPd;
        memory bwdWSrc;
        memory bwdWDiffDst;
        convolution_backward_data bwdD;
        convolution_backward_data.primitive_desc bwdDPd;
        memory wB;
        memory bwdDDiffDst;
    }

    /** Builds block {@code b} (forward steps now, backward steps into {@link #blockBwd}); returns its output. */
    private memory block(int b, memory in) {
        Block k = new Block();
        k.b = b;
        k.x = in;
        int cin = spec.inChannels(b);
        int c = spec.filters();
        int hin = spec.spatialIn(b);
        int hc = spec.convOut(b);
        long[] st = {spec.stride(), spec.stride()};
        long[] padL = {spec.padBefore(b), spec.padBefore(b)};
        long[] padR = {spec.padAfter(b), spec.padAfter(b)};
        memory.desc srcAny = d.desc(dims(cin, hin), memory.format_tag.any);
        memory.desc wAny = d.desc(new long[]{c, cin, Conv4Spec.KERNEL, Conv4Spec.KERNEL}, memory.format_tag.any);
        memory.desc dstD = act(c, hc);
        memory.desc srcD = b == 0 ? srcAny : in.get_desc();
        k.convPd = scope.keep(new convolution_forward.primitive_desc(d.eng,
                prop_kind.forward_training, algorithm.convolution_direct, srcD, wAny, dstD, st, padL, padR, d.attr, false));
        k.src = d.as(in, scope.keep(k.convPd.src_desc()), fwd);
        k.wF = d.as(params.w[b], scope.keep(k.convPd.weights_desc()), weightsIn);
        memory.desc actD = scope.keep(k.convPd.dst_desc());
        k.z = d.mem(actD);
        k.conv = new convolution_forward(k.convPd);
        d.step(fwd, k.conv, d.args(DNNL_ARG_SRC, k.src, DNNL_ARG_WEIGHTS, k.wF, DNNL_ARG_DST, k.z));
        Bn bn = batchNorm(b, k.z, actD);
        k.mean = bn.mean;
        k.var = bn.var;
        k.a = bn.dst;
        List<Runnable> back = new ArrayList<>();
        if (spec.variant() == Conv4Spec.Variant.POOL) {
            k.ga = maxPool(b, bn.dst, actD, back);
        } else {
            out[b] = bn.dst;
            dOut[b] = d.mem(actD);
            k.ga = dOut[b];
        }
        k.gz = bn.backward(k.ga, back);
        convBackwardWeights(k, st, padL, padR, back);
        convBackwardData(k, b == 0 ? srcAny : act(cin, hin), wAny, actD, st, padL, padR, b == 0 ? inputGrad : back);
        blockBwd.add(back);
        blocks.add(k);
        return out[b];
    }

    /** Batch norm (batch statistics) with fused ReLU over {@code conv}. */
    private Bn batchNorm(int b, memory conv, memory.desc actD) {
        int flags = normalization_flags.use_scale.value | normalization_flags.use_shift.value
                | normalization_flags.fuse_norm_relu.value;
        batch_normalization_forward.primitive_desc pd = scope.keep(new batch_normalization_forward.primitive_desc(d.eng,
                prop_kind.forward_training.value, actD, actD, Conv4Spec.BN_EPS, flags, d.attr, false));
        Bn bn = new Bn(b, conv, actD, flags, pd);
        d.step(fwd, new batch_normalization_forward(pd), d.args(DNNL_ARG_SRC, conv, DNNL_ARG_DST, bn.dst,
                DNNL_ARG_MEAN, bn.mean, DNNL_ARG_VARIANCE, bn.var, DNNL_ARG_SCALE, params.gamma[b],
                DNNL_ARG_SHIFT, params.beta[b], DNNL_ARG_WORKSPACE, bn.ws));
        return bn;
    }

    /** The memories of one batch-norm layer, and its backward step. */
    private final class Bn {
        final int b;
        final memory src;
        final memory dst;
        final memory mean;
        final memory var;
        final memory ws;
        final memory.desc actD;
        final int flags;
        final batch_normalization_forward.primitive_desc fwdPd;

        Bn(int b, memory src, memory.desc actD, int flags, batch_normalization_forward.primitive_desc pd) {
            this.b = b;
            this.src = src;
            this.actD = actD;
            this.flags = flags;
            this.fwdPd = pd;
            dst = d.mem(scope.keep(pd.dst_desc()));
            mean = d.mem(scope.keep(pd.mean_desc()));
            var = d.mem(scope.keep(pd.variance_desc()));
            ws = d.mem(scope.keep(pd.workspace_desc()));
        }

        /** Appends the backward step (gradient of BN+ReLU through the batch statistics); returns d(conv output). */
        memory backward(memory dDst, List<Runnable> back) {
            batch_normalization_backward.primitive_desc pd = scope.keep(new batch_normalization_backward.primitive_desc(d.eng,
                    prop_kind.backward.value, actD, actD, actD, Conv4Spec.BN_EPS, flags, fwdPd, d.attr, false));
            memory dSrc = d.mem(scope.keep(pd.diff_src_desc()));
            d.step(back, new batch_normalization_backward(pd), d.args(DNNL_ARG_SRC, src, DNNL_ARG_MEAN, mean,
                    DNNL_ARG_VARIANCE, var, DNNL_ARG_DIFF_DST, dDst, DNNL_ARG_SCALE, params.gamma[b],
                    DNNL_ARG_WORKSPACE, ws, DNNL_ARG_DIFF_SRC, dSrc, DNNL_ARG_DIFF_SCALE, params.dgamma[b],
                    DNNL_ARG_DIFF_SHIFT, params.dbeta[b]));
            return dSrc;
        }
    }

    /** 2x2 max-pool, stride 2, no padding (floor); sets the block's output; returns d(pool input). */
    private memory maxPool(int b, memory act, memory.desc actD, List<Runnable> back) {
        int ho = spec.spatialIn(b + 1);
        long[] k = {2, 2};
        long[] zero = {0, 0};
        pooling_forward.primitive_desc pd = scope.keep(new pooling_forward.primitive_desc(d.eng, prop_kind.forward_training,
                algorithm.pooling_max, actD, act(spec.filters(), ho), k, k, zero, zero, zero, d.attr, false));
        out[b] = d.mem(scope.keep(pd.dst_desc()));
        memory ws = d.mem(scope.keep(pd.workspace_desc()));
        d.step(fwd, new pooling_forward(pd), d.args(DNNL_ARG_SRC, act, DNNL_ARG_DST, out[b], DNNL_ARG_WORKSPACE, ws));
        pooling_backward.primitive_desc bpd = scope.keep(new pooling_backward.primitive_desc(d.eng, algorithm.pooling_max,
                actD, out[b].get_desc(), k, k, zero, zero, zero, pd, d.attr, false));
        dOut[b] = d.mem(scope.keep(bpd.diff_dst_desc()));
        memory dAct = d.mem(scope.keep(bpd.diff_src_desc()));
        d.step(back, new pooling_backward(bpd), d.args(DNNL_ARG_DIFF_DST, dOut[b], DNNL_ARG_DIFF_SRC, dAct, DNNL_ARG_WORKSPACE, ws));
        return dAct;
    }

    private void convBackwardWeights(Block k, long[] st, long[] padL, long[] padR, List<Runnable> back) {
        int b = k.b;
        memory.desc wAny = d.desc(new long[]{spec.filters(), spec.inChannels(b), Conv4Spec.KERNEL, Conv4Spec.KERNEL},
                memory.format_tag.any);
        // the exact diff_dst layout: with 'any' oneDNN may pick a layout that costs a reorder per call
        k.bwdWPd = scope.keep(new convolution_backward_weights.primitive_desc(d.eng,
                algorithm.convolution_direct, k.src.get_desc(), wAny, k.gz.get_desc(), st, padL, padR, k.convPd, d.attr, false));
        k.bwdWSrc = d.as(k.src, scope.keep(k.bwdWPd.src_desc()), back);
        k.bwdWDiffDst = d.as(k.gz, scope.keep(k.bwdWPd.diff_dst_desc()), back);
        memory dW = d.mem(scope.keep(k.bwdWPd.diff_weights_desc()));
        k.bwdW = new convolution_backward_weights(k.bwdWPd);
        d.step(back, k.bwdW, d.args(DNNL_ARG_SRC, k.bwdWSrc, DNNL_ARG_DIFF_DST, k.bwdWDiffDst, DNNL_ARG_DIFF_WEIGHTS, dW));
        d.copy(dW, params.dw[b], gradsOut);
    }

    /** Conv backward-data into the previous block's output gradient (block 0: into the input gradient). */
    private void convBackwardData(Block k, memory.desc srcD, memory.desc wAny, memory.desc dstD, long[] st, long[] padL,
                                  long[] padR, List<Runnable> steps) {
        int b = k.b;
        k.bwdDPd = scope.keep(new convolution_backward_data.primitive_desc(d.eng,
                algorithm.convolution_direct, srcD, wAny, dstD, st, padL, padR, k.convPd, d.attr, false));
        k.wB = d.as(params.w[b], scope.keep(k.bwdDPd.weights_desc()), weightsIn);
        k.bwdDDiffDst = d.as(k.gz, scope.keep(k.bwdDPd.diff_dst_desc()), steps);
        memory target = b == 0 ? dxUser : dOut[b - 1];
        memory.desc dSrcD = scope.keep(k.bwdDPd.diff_src_desc());
        memory dSrc = dSrcD.equals(target.get_desc()) ? target : d.mem(dSrcD);
        k.bwdD = new convolution_backward_data(k.bwdDPd);
        d.step(steps, k.bwdD, d.args(DNNL_ARG_DIFF_DST, k.bwdDDiffDst, DNNL_ARG_WEIGHTS, k.wB, DNNL_ARG_DIFF_SRC, dSrc));
        if (dSrc != target) {
            d.copy(dSrc, target, steps);
        }
    }

    /** The embedding: POOL flattens the last output, STRIDED averages it over space (an average-pool primitive). */
    private void head(memory last) {
        List<Runnable> back = new ArrayList<>();
        int lastB = spec.blocks() - 1;
        if (spec.variant() == Conv4Spec.Variant.POOL) {
            d.copy(last, embUser, fwd);
            d.copy(dEmbUser, dOut[lastB], back);
        } else {
            int h = spec.spatialIn(spec.blocks());
            long[] k = {h, h};
            long[] zero = {0, 0};
            memory.desc dstAny = d.desc(dims(spec.filters(), 1), memory.format_tag.any);
            pooling_forward.primitive_desc pd = scope.keep(new pooling_forward.primitive_desc(d.eng, prop_kind.forward_training,
                    algorithm.pooling_avg_exclude_padding, last.get_desc(), dstAny, k, k, zero, zero, zero, d.attr, false));
            memory mean = d.mem(scope.keep(pd.dst_desc()));
            d.step(fwd, new pooling_forward(pd), d.args(DNNL_ARG_SRC, last, DNNL_ARG_DST, mean));
            d.copy(mean, embUser, fwd);
            pooling_backward.primitive_desc bpd = scope.keep(new pooling_backward.primitive_desc(d.eng,
                    algorithm.pooling_avg_exclude_padding, last.get_desc(), mean.get_desc(), k, k, zero, zero, zero, pd, d.attr, false));
            memory dMean = d.as(dEmbUser, scope.keep(bpd.diff_dst_desc()), back);
            d.step(back, new pooling_backward(bpd), d.args(DNNL_ARG_DIFF_DST, dMean, DNNL_ARG_DIFF_SRC, dOut[lastB]));
        }
        bwd.addAll(back);
    }

    @Override
    public void close() {
        scope.close();
    }
}
