package ai.metaspark.model.conv;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Conv-4's passes on ND4J operations (libnd4j's {@code conv2d}, {@code conv2d_bp}, {@code maxpool2d},
 * {@code maxpool2d_bp}, {@code avgpool2d}, reductions and broadcasts), f32, NCHW: they run on whichever ND4J backend is
 * on the class path, nd4j-native on a CPU, nd4j-cuda (with cuDNN) on a GPU. The same network, parameter layout and
 * batch norm on the batch statistics as {@link Conv4Net} (oneDNN), which it matches to f32 rounding.
 *
 * <p>Per block: {@code z = conv(x, W)} (SAME padding, TF-style: the extra row and column of an odd total at the
 * bottom and right, as {@link Conv4Spec#padAfter}), {@code xh = (z - mean z) s}, {@code s = (var z + eps)^-1/2},
 * {@code a = relu(g xh + t)}, then a 2x2 max-pool (POOL). The backward pass runs through the batch statistics:
 * {@code gz = s (gxh - mean gxh - xh mean(gxh xh))} with {@code gxh = g [a > 0] ga}. The R-operator (exact
 * Hessian-vector products, Pearlmutter 1994) is that of {@link Conv4RPass} and {@link BatchNormR}, written as whole-array
 * operations; convolution is bilinear, so {@code R z = conv(R x, W) + conv(x, V_W)}, and one {@code conv2d_bp} call
 * gives {@code bwdData(dy, W)} and {@code bwdW(x, dy)} together. The equations are in docs/algorithms.md ("Exact
 * Hessian-vector products on Conv-4").
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class Nd4jConv4Net implements Conv4Passes {
    private final Conv4Spec spec;
    private final Block[] blocks;
    private final LoadedParams loaded;
    private long loads;
    private int n;
    private boolean forwardDone;
    private boolean backwardDone;
    private boolean rForwardDone;

    /** One block's parameters (as loaded) and what its last forward, backward and R-forward left behind. */
    private static final class Block {
        INDArray w;
        INDArray g;
        INDArray t;
        INDArray in;
        INDArray s;
        INDArray xh;
        INDArray a;
        INDArray mask;
        INDArray gz;
        INDArray gy;
        /** {@code g gy}, the gradient at xh, and its per-channel {@code mean(gxh xh)}: kept for the R-backward. */
        INDArray gxh;
        INDArray meanGxhXh;
        INDArray vw;
        INDArray vg;
        INDArray rin;
        INDArray rxh;
        INDArray meanXhRz;
    }

    Nd4jConv4Net(Conv4Spec spec) {
        this.spec = spec;
        this.blocks = new Block[spec.blocks()];
        this.loaded = new LoadedParams(spec);
        for (int b = 0; b < blocks.length; b++) blocks[b] = new Block();
    }

    @Override
    public double[] forward(double[] params, double[] x, int n) {
        if (params.length < spec.numParams()) {
            throw new IllegalArgumentException("params has length " + params.length + ", expected at least " + spec.numParams());
        }
        Conv4Net.check("x (n x " + spec.inputSize() + ")", x.length, (long) n * spec.inputSize());
        if (n < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + n);
        if (!loaded.holds(params)) load(params);
        this.n = n;
        INDArray in = Nd4j.createFromArray(Conv4Net.toFloat(x, new float[x.length]))
                .reshape('c', n, spec.channels(), spec.imageSize(), spec.imageSize());
        for (int b = 0; b < blocks.length; b++) {
            in = blockForward(b, in);
        }
        forwardDone = true;
        backwardDone = false;
        rForwardDone = false;
        return toDoubles(embedding(in));
    }

    private void load(double[] params) {
        for (int b = 0; b < blocks.length; b++) {
            Block k = blocks[b];
            k.w = slice(params, spec.weightOffset(b), spec.weightCount(b)).reshape('c', spec.filters(), spec.inChannels(b),
                    Conv4Spec.KERNEL, Conv4Spec.KERNEL);
            k.g = slice(params, spec.gammaOffset(b), spec.filters());
            k.t = slice(params, spec.betaOffset(b), spec.filters());
        }
        loaded.set(params);
        loads++;
    }

    private INDArray blockForward(int b, INDArray in) {
        Block k = blocks[b];
        k.in = in;
        INDArray z = conv(in, k.w, b);
        INDArray mean = z.mean(0, 2, 3);
        k.s = Transforms.pow(z.var(false, 0, 2, 3).addi(Conv4Spec.BN_EPS), -0.5, false);
        k.xh = perChannel(perChannelAdd(z, mean.neg()), k.s);
        k.a = Transforms.relu(perChannelAdd(perChannel(k.xh, k.g), k.t), false);
        k.mask = k.a.gt(0).castTo(DataType.FLOAT);
        return pooled() ? pool("maxpool2d", k.a) : k.a;
    }

    private INDArray embedding(INDArray last) {
        return pooled() ? last.reshape('c', n, spec.embeddingSize()) : last.mean(2, 3);
    }

    /** The gradient at the last block's output for {@code dEmb}, the gradient at the embedding. */
    private INDArray embeddingGradient(INDArray dEmb) {
        int h = spec.spatialIn(spec.blocks());
        if (pooled()) return dEmb.reshape('c', n, spec.filters(), h, h);
        INDArray out = Nd4j.create(DataType.FLOAT, n, spec.filters(), h, h);
        return Nd4j.getExecutioner().exec(new BroadcastAddOp(out, dEmb.div(h * h), out.ulike(), 0, 1));
    }

    @Override
    public void backward(double[] dEmb, double[] grad, double[] dx) {
        if (!forwardDone) throw new IllegalStateException("backward needs a forward first");
        Conv4Net.check("dEmb", dEmb.length, (long) n * spec.embeddingSize());
        if (grad.length < spec.numParams()) {
            throw new IllegalArgumentException("grad has length " + grad.length + ", expected at least " + spec.numParams());
        }
        if (dx != null) Conv4Net.check("dx", dx.length, (long) n * spec.inputSize());
        INDArray gOut = embeddingGradient(Nd4j.createFromArray(Conv4Net.toFloat(dEmb, new float[dEmb.length])).reshape('c', n, -1));
        for (int b = blocks.length - 1; b >= 0; b--) {
            Block k = blocks[b];
            INDArray ga = pooled() ? poolBackward(k.a, gOut) : gOut;
            k.gy = ga.mul(k.mask);
            put(grad, spec.gammaOffset(b), k.gy.mul(k.xh).sum(0, 2, 3));
            put(grad, spec.betaOffset(b), k.gy.sum(0, 2, 3));
            k.gxh = perChannel(k.gy, k.g);
            k.meanGxhXh = k.gxh.mul(k.xh).mean(0, 2, 3);
            k.gz = normalizedGradient(k, k.gxh, k.meanGxhXh);
            INDArray[] bp = convBackward(k.in, k.w, k.gz, b);
            put(grad, spec.weightOffset(b), bp[1]);
            gOut = bp[0];
        }
        if (dx != null) copy(gOut, dx);
        backwardDone = true;
        rForwardDone = false;
    }

    /**
     * Batch norm's backward through the batch statistics: {@code s (d - mean d - xh mean(d xh))} for the gradient d at
     * xh, given its per-channel {@code mean(d xh)}.
     */
    private static INDArray normalizedGradient(Block k, INDArray d, INDArray meanDXh) {
        INDArray centered = perChannelAdd(d, d.mean(0, 2, 3).neg());
        return perChannel(centered.subi(perChannel(k.xh, meanDXh)), k.s);
    }

    @Override
    public float[] directionalForward(float[] v) {
        if (!backwardDone) throw new IllegalStateException("the R-operator needs the forward's backward first");
        Conv4Net.check("v", v.length, spec.numParams());
        INDArray rIn = null;
        for (int b = 0; b < blocks.length; b++) {
            Block k = blocks[b];
            k.vw = Nd4j.createFromArray(java.util.Arrays.copyOfRange(v, spec.weightOffset(b), spec.weightOffset(b) + spec.weightCount(b)))
                    .reshape('c', spec.filters(), spec.inChannels(b), Conv4Spec.KERNEL, Conv4Spec.KERNEL);
            k.vg = Nd4j.createFromArray(java.util.Arrays.copyOfRange(v, spec.gammaOffset(b), spec.gammaOffset(b) + spec.filters()));
            INDArray vt = Nd4j.createFromArray(java.util.Arrays.copyOfRange(v, spec.betaOffset(b), spec.betaOffset(b) + spec.filters()));
            k.rin = rIn;
            INDArray rz = conv(k.in, k.vw, b);
            if (rIn != null) rz.addi(conv(rIn, k.w, b));
            k.meanXhRz = rz.mul(k.xh).mean(0, 2, 3);
            k.rxh = perChannel(perChannelAdd(rz, rz.mean(0, 2, 3).neg()).subi(perChannel(k.xh, k.meanXhRz)), k.s);
            INDArray ra = perChannelAdd(perChannel(k.xh, k.vg).addi(perChannel(k.rxh, k.g)), vt).muli(k.mask);
            rIn = pooled() ? poolR(k.a, ra) : ra;
        }
        rForwardDone = true;
        return embedding(rIn).dup('c').data().asFloat();
    }

    @Override
    public void directionalBackward(float[] rDEmb, float[] hv) {
        if (!rForwardDone) throw new IllegalStateException("directionalBackward needs directionalForward first");
        Conv4Net.check("rDEmb", rDEmb.length, (long) n * spec.embeddingSize());
        Conv4Net.check("hv", hv.length, spec.numParams());
        INDArray rgOut = embeddingGradient(Nd4j.createFromArray(rDEmb.clone()).reshape('c', n, -1));
        for (int b = blocks.length - 1; b >= 0; b--) {
            Block k = blocks[b];
            INDArray rga = pooled() ? poolBackward(k.a, rgOut) : rgOut;
            INDArray rgy = rga.mul(k.mask);
            put(hv, spec.gammaOffset(b), rgy.mul(k.xh).addi(k.gy.mul(k.rxh)).sum(0, 2, 3));
            put(hv, spec.betaOffset(b), rgy.sum(0, 2, 3));
            INDArray rgxh = perChannel(k.gy, k.vg).addi(perChannel(rgy, k.g));
            INDArray rgz = normalizedGradient(k, rgxh, rgxh.mul(k.xh).mean(0, 2, 3))     // s (R gxh - mean - xh mean(xh R gxh))
                    .subi(perChannel(perChannel(k.rxh, k.meanGxhXh), k.s))                 // - s Rxh mean(gxh xh)
                    .subi(perChannel(perChannel(k.xh, k.gxh.mul(k.rxh).mean(0, 2, 3)), k.s)) // - s xh mean(gxh Rxh)
                    .subi(perChannel(k.gz, k.meanXhRz.mul(k.s)));                        // - s mean(xh Rz) gz
            INDArray[] viaW = convBackward(k.in, k.w, rgz, b);                           // bwdData(R gz, W), bwdW(x, R gz)
            INDArray rgw = viaW[1];
            if (k.rin != null) rgw.addi(convBackward(k.rin, k.w, k.gz, b)[1]);          // + bwdW(R x, gz)
            put(hv, spec.weightOffset(b), rgw);
            if (b > 0) rgOut = viaW[0].addi(convBackward(k.in, k.vw, k.gz, b)[0]);      // + bwdData(gz, V_W)
        }
    }

    @Override
    public boolean holds(double[] params) {
        return loaded.holds(params);
    }

    @Override
    public long weightLoads() {
        return loads;
    }

    @Override
    public void close() {
        for (Block k : blocks) {
            k.in = k.xh = k.a = k.mask = k.gz = k.gy = k.gxh = k.meanGxhXh = k.rin = k.rxh = null;
        }
        forwardDone = false;
    }

    private boolean pooled() {
        return spec.variant() == Conv4Spec.Variant.POOL;
    }

    private int[] convArgs() {
        int st = spec.stride();
        return new int[] {Conv4Spec.KERNEL, Conv4Spec.KERNEL, st, st, 0, 0, 1, 1, 1, 0, 1}; // SAME, NCHW, weights OIHW
    }

    private INDArray conv(INDArray in, INDArray w, int b) {
        int h = spec.convOut(b);
        INDArray out = Nd4j.create(DataType.FLOAT, in.size(0), spec.filters(), h, h);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(in, w).addOutputs(out).addIntegerArguments(convArgs()).build());
        return out;
    }

    /** {@code [bwdData(gOut, w), bwdW(in, gOut)]} in one {@code conv2d_bp} call. */
    private INDArray[] convBackward(INDArray in, INDArray w, INDArray gOut, int b) {
        INDArray gIn = in.ulike();
        INDArray gW = w.ulike();
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(in, w, gOut).addOutputs(gIn, gW)
                .addIntegerArguments(convArgs()).build());
        return new INDArray[] {gIn, gW};
    }

    private static int[] poolArgs() {
        return new int[] {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0}; // 2x2, stride 2, floor, NCHW
    }

    private static INDArray pool(String op, INDArray in) {
        INDArray out = Nd4j.create(DataType.FLOAT, in.size(0), in.size(1), in.size(2) / 2, in.size(3) / 2);
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(in).addOutputs(out).addIntegerArguments(poolArgs()).build());
        return out;
    }

    /** Max-pool's backward at {@code a}: {@code gOut} to each window's maximum (the first, on ties), zero elsewhere. */
    private static INDArray poolBackward(INDArray a, INDArray gOut) {
        INDArray gIn = a.ulike();
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(a, gOut).addOutputs(gIn).addIntegerArguments(poolArgs()).build());
        return gIn;
    }

    /** R of max-pool's output: R of its input at each window's maximum (the mask max-pool's backward draws, summed). */
    private static INDArray poolR(INDArray a, INDArray ra) {
        INDArray argmax = poolBackward(a, Nd4j.ones(DataType.FLOAT, a.size(0), a.size(1), a.size(2) / 2, a.size(3) / 2));
        return pool("avgpool2d", argmax.muli(ra)).muli(4);
    }

    /** {@code x * c} with {@code c[channel]} broadcast over dimension 1; a new array. */
    private static INDArray perChannel(INDArray x, INDArray c) {
        return Nd4j.getExecutioner().exec(new BroadcastMulOp(x, c, x.ulike(), 1));
    }

    /** {@code x + c} with {@code c[channel]} broadcast over dimension 1; a new array. */
    private static INDArray perChannelAdd(INDArray x, INDArray c) {
        return Nd4j.getExecutioner().exec(new BroadcastAddOp(x, c, x.ulike(), 1));
    }

    private static INDArray slice(double[] p, int from, int count) {
        float[] f = new float[count];
        for (int i = 0; i < count; i++) f[i] = (float) p[from + i];
        return Nd4j.createFromArray(f);
    }

    private static void put(double[] out, int from, INDArray a) {
        float[] f = a.dup('c').data().asFloat();
        for (int i = 0; i < f.length; i++) out[from + i] = f[i];
    }

    private static void put(float[] out, int from, INDArray a) {
        float[] f = a.dup('c').data().asFloat();
        System.arraycopy(f, 0, out, from, f.length);
    }

    private static void copy(INDArray a, double[] out) {
        float[] f = a.dup('c').data().asFloat();
        for (int i = 0; i < f.length; i++) out[i] = f[i];
    }

    private static double[] toDoubles(INDArray a) {
        double[] d = new double[(int) a.length()];
        copy(a, d);
        return d;
    }
}
