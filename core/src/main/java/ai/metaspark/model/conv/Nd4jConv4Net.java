package ai.metaspark.model.conv;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Conv-4's passes on ND4J operations (libnd4j's {@code im2col}, {@code col2im}, batched {@code matmul},
 * {@code maxpool2d}, {@code maxpool2d_bp}, {@code avgpool2d}, reductions and broadcasts), f32, NCHW: they run on
 * whichever ND4J backend is on the class path, nd4j-native on a CPU, nd4j-cuda on a GPU. The same network, parameter
 * layout and batch norm on the batch statistics as {@link Conv4Net} (oneDNN), which it matches to f32 rounding.
 *
 * <p><b>Tasks side by side.</b> One call computes the passes of T tasks of n images each, every task under its own
 * parameters and with its own batch statistics ({@link #forward(double[][], double[][], int)} and the batched
 * backward and R-operator): the T n images go through each operation together, so that one kernel launch does the
 * work of T tasks (per-call launch cost is what makes small networks slow on GPUs). A convolution under per-task
 * weights is {@code im2col} of all images, then one batched matrix product {@code [T, O, K] x [T, K, n P]}
 * (K = input channels x 3 x 3, P = output positions); its backward is the two products with a transposed factor and
 * {@code col2im}. Batch norm reduces each task's {@code [n, C, H, W]} slab separately. Each task's matrices are
 * multiplied alone, so a task's results do not depend on which tasks share its call; the single-task
 * {@link Conv4Passes} methods are the same computation with T = 1.
 *
 * <p>Per block: {@code z = conv(x, W)} (SAME padding, TF-style: the extra row and column of an odd total at the
 * bottom and right, as {@link Conv4Spec#padAfter}), {@code xh = (z - mean z) s}, {@code s = (var z + eps)^-1/2},
 * {@code a = relu(g xh + t)}, then a 2x2 max-pool (POOL). The backward pass runs through the batch statistics:
 * {@code gz = s (gxh - mean gxh - xh mean(gxh xh))} with {@code gxh = g [a > 0] ga}. The R-operator (exact
 * Hessian-vector products, Pearlmutter 1994) is that of {@link Conv4RPass} and {@link BatchNormR}, written as
 * whole-array operations; convolution is bilinear, so {@code R z = conv(R x, W) + conv(x, V_W)}. The equations are
 * in docs/algorithms.md ("Exact Hessian-vector products on Conv-4").
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class Nd4jConv4Net implements Conv4Passes {
    private final Conv4Spec spec;
    private final Block[] blocks;
    private final LoadedParams loaded;
    private long loads;
    /** Tasks (T) and images per task (n) of the last forward. */
    private int tasks;
    /** Per-task, per-channel arithmetic for the current {@link #tasks}. */
    private TaskChannels ch;
    private int n;
    private boolean forwardDone;
    private boolean backwardDone;
    private boolean rForwardDone;

    /**
     * One block's parameters (as loaded: {@code w [T, O, K]}, {@code g} and {@code t [T, C]}) and what its last
     * forward, backward and R-forward left behind. Per-channel values are {@code [T, C]}; {@code cols} and
     * {@code rcols} are the im2col of the block's input and of its R, task-major {@code [T, K, n P]}.
     */
    private static final class Block {
        INDArray w;
        INDArray g;
        INDArray t;
        INDArray cols;
        int inSize;
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
        INDArray rcols;
        INDArray rxh;
        INDArray meanXhRz;

        /**
         * Frees the native memory of the last passes' activations now (the large ones), rather than when the
         * collector finds them: a pass allocates far more native memory than heap.
         */
        void release() {
            for (INDArray a : new INDArray[] {cols, xh, a, mask, gz, gy, gxh, rcols, rxh}) {
                if (a != null) a.close();
            }
            cols = xh = a = mask = gz = gy = gxh = meanGxhXh = rcols = rxh = meanXhRz = null;
        }
    }

    Nd4jConv4Net(Conv4Spec spec) {
        this.spec = spec;
        this.blocks = new Block[spec.blocks()];
        this.loaded = new LoadedParams(spec);
        for (int b = 0; b < blocks.length; b++) blocks[b] = new Block();
    }

    @Override
    public double[] forward(double[] params, double[] x, int n) {
        checkParams(params);
        if (n < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + n);
        Conv4Net.check("x (n x " + spec.inputSize() + ")", x.length, (long) n * spec.inputSize());
        if (tasks != 1 || !loaded.holds(params)) {
            load(new double[][] {params});
            loaded.set(params);
        }
        return run(new double[][] {x}, n)[0];
    }

    /**
     * Embeddings {@code [n, embeddingSize]} of each task's n images {@code x[t]} under its parameters
     * {@code params[t]} (the first {@link Conv4Spec#numParams()} entries), all tasks in one pass.
     */
    double[][] forward(double[][] params, double[][] x, int n) {
        if (params.length != x.length || params.length < 1) {
            throw new IllegalArgumentException("need as many parameter vectors as image sets, at least one: " + params.length
                    + " and " + x.length);
        }
        if (n < 1) throw new IllegalArgumentException("images per task must be >= 1, got " + n);
        for (int t = 0; t < params.length; t++) {
            checkParams(params[t]);
            Conv4Net.check("x[" + t + "] (n x " + spec.inputSize() + ")", x[t].length, (long) n * spec.inputSize());
        }
        load(params);
        loaded.clear();
        return run(x, n);
    }

    private void checkParams(double[] params) {
        if (params.length < spec.numParams()) {
            throw new IllegalArgumentException("params has length " + params.length + ", expected at least " + spec.numParams());
        }
    }

    private double[][] run(double[][] x, int n) {
        for (Block k : blocks) k.release();
        this.n = n;
        int size = spec.imageSize();
        INDArray in = TaskArrays.gather(x, 0, x[0].length).reshape('c', (long) tasks * n, spec.channels(), size, size);
        for (int b = 0; b < blocks.length; b++) {
            in = blockForward(b, in);
        }
        forwardDone = true;
        backwardDone = false;
        rForwardDone = false;
        INDArray emb = embedding(in);
        return TaskArrays.scatter(new double[tasks][(int) (emb.length() / tasks)], 0, emb);
    }

    /** Each block's {@code [T, O, K]} weights and {@code [T, C]} scale and shift from the tasks' parameter vectors. */
    private void load(double[][] params) {
        tasks = params.length;
        ch = new TaskChannels(tasks);
        for (int b = 0; b < blocks.length; b++) {
            Block k = blocks[b];
            k.w = TaskArrays.gather(params, spec.weightOffset(b), spec.weightCount(b)).reshape('c', tasks, spec.filters(), kSize(b));
            k.g = TaskArrays.gather(params, spec.gammaOffset(b), spec.filters()).reshape('c', tasks, spec.filters());
            k.t = TaskArrays.gather(params, spec.betaOffset(b), spec.filters()).reshape('c', tasks, spec.filters());
        }
        loads++;
    }

    private INDArray blockForward(int b, INDArray in) {
        Block k = blocks[b];
        k.inSize = (int) in.size(2);
        k.cols = im2col(in, b);
        INDArray z = conv(k.w, k.cols, b);
        k.s = Transforms.pow(ch.view(z).var(false, 1, 3).addi(Conv4Spec.BN_EPS), -0.5, false);
        k.xh = ch.scale(ch.centered(z), k.s);
        k.a = Transforms.relu(ch.shift(ch.scale(k.xh, k.g), k.t), false);
        k.mask = k.a.gt(0).castTo(DataType.FLOAT);
        return pooled() ? Nd4jMaxPool.forward(k.a) : k.a;
    }

    private INDArray embedding(INDArray last) {
        return pooled() ? last.reshape('c', (long) tasks * n, spec.embeddingSize()) : last.mean(2, 3);
    }

    /** The gradient at the last block's output for {@code dEmb}, the gradient at the embedding ({@code [T n, E]}). */
    private INDArray embeddingGradient(INDArray dEmb) {
        int h = spec.spatialIn(spec.blocks());
        long images = (long) tasks * n;
        if (pooled()) return dEmb.reshape('c', images, spec.filters(), h, h);
        INDArray out = Nd4j.create(DataType.FLOAT, images, spec.filters(), h, h);
        return Nd4j.getExecutioner().exec(new BroadcastAddOp(out, dEmb.div(h * h), out.ulike(), 0, 1));
    }

    @Override
    public void backward(double[] dEmb, double[] grad, double[] dx) {
        backward(new double[][] {dEmb}, new double[][] {grad}, dx == null ? null : new double[][] {dx});
    }

    /**
     * Backward of the last forward, task by task: from each task's embedding gradient {@code dEmb[t]}, writes its
     * parameter gradient into the first {@link Conv4Spec#numParams()} entries of {@code grad[t]} and, when {@code dx}
     * is not null, its input gradient into {@code dx[t]}.
     */
    void backward(double[][] dEmb, double[][] grad, double[][] dx) {
        if (!forwardDone) throw new IllegalStateException("backward needs a forward first");
        checkTasks("dEmb", dEmb.length);
        checkTasks("grad", grad.length);
        for (int t = 0; t < tasks; t++) {
            Conv4Net.check("dEmb[" + t + "]", dEmb[t].length, (long) n * spec.embeddingSize());
            checkParams(grad[t]);
            if (dx != null) Conv4Net.check("dx[" + t + "]", dx[t].length, (long) n * spec.inputSize());
        }
        INDArray gOut = embeddingGradient(TaskArrays.gather(dEmb, 0, dEmb[0].length).reshape('c', (long) tasks * n, -1));
        for (int b = blocks.length - 1; b >= 0; b--) {
            Block k = blocks[b];
            INDArray ga = pooled() ? Nd4jMaxPool.backward(k.a, gOut) : gOut;
            k.gy = ga.mul(k.mask);
            TaskArrays.scatter(grad, spec.gammaOffset(b), ch.sums(k.gy.mul(k.xh)));
            TaskArrays.scatter(grad, spec.betaOffset(b), ch.sums(k.gy));
            k.gxh = ch.scale(k.gy, k.g);
            k.meanGxhXh = ch.means(k.gxh.mul(k.xh));
            k.gz = normalizedGradient(k, k.gxh, k.meanGxhXh);
            INDArray gzm = taskMajor(k.gz);
            TaskArrays.scatter(grad, spec.weightOffset(b), weightGradient(gzm, k.cols));
            if (b > 0 || dx != null) gOut = col2im(Nd4j.matmul(k.w, gzm, true, false, false), b, k.inSize);
            gzm.close();
        }
        if (dx != null) TaskArrays.scatter(dx, 0, gOut);
        backwardDone = true;
        rForwardDone = false;
    }

    /**
     * Batch norm's backward through each task's batch statistics: {@code s (d - mean d - xh mean(d xh))} for the
     * gradient d at xh, given its per-channel {@code mean(d xh)}.
     */
    private INDArray normalizedGradient(Block k, INDArray d, INDArray meanDXh) {
        return ch.scale(ch.centered(d).subi(ch.scale(k.xh, meanDXh)), k.s);
    }

    @Override
    public float[] directionalForward(float[] v) {
        return directionalForward(new float[][] {v})[0];
    }

    /** R of each task's last embeddings along its direction {@code v[t]} (conv parameters); needs the backward first. */
    float[][] directionalForward(float[][] v) {
        if (!backwardDone) throw new IllegalStateException("the R-operator needs the forward's backward first");
        checkTasks("v", v.length);
        for (int t = 0; t < tasks; t++) Conv4Net.check("v[" + t + "]", v[t].length, spec.numParams());
        INDArray rIn = null;
        for (int b = 0; b < blocks.length; b++) {
            Block k = blocks[b];
            k.vw = TaskArrays.gather(v, spec.weightOffset(b), spec.weightCount(b)).reshape('c', tasks, spec.filters(), kSize(b));
            k.vg = TaskArrays.gather(v, spec.gammaOffset(b), spec.filters()).reshape('c', tasks, spec.filters());
            INDArray vt = TaskArrays.gather(v, spec.betaOffset(b), spec.filters()).reshape('c', tasks, spec.filters());
            k.rcols = rIn == null ? null : im2col(rIn, b);
            INDArray rz = conv(k.vw, k.cols, b);
            if (rIn != null) rz.addi(conv(k.w, k.rcols, b));
            k.meanXhRz = ch.means(rz.mul(k.xh));
            k.rxh = ch.scale(ch.centered(rz).subi(ch.scale(k.xh, k.meanXhRz)), k.s);
            INDArray ra = ch.shift(ch.scale(k.xh, k.vg).addi(ch.scale(k.rxh, k.g)), vt).muli(k.mask);
            rIn = pooled() ? Nd4jMaxPool.r(k.a, ra) : ra;
        }
        rForwardDone = true;
        return TaskArrays.scatter(new float[tasks][n * spec.embeddingSize()], 0, embedding(rIn));
    }

    @Override
    public void directionalBackward(float[] rDEmb, float[] hv) {
        directionalBackward(new float[][] {rDEmb}, new float[][] {hv});
    }

    /** R of each task's conv parameter gradient into {@code hv[t]}, from R of its embedding gradient. */
    void directionalBackward(float[][] rDEmb, float[][] hv) {
        if (!rForwardDone) throw new IllegalStateException("directionalBackward needs directionalForward first");
        checkTasks("rDEmb", rDEmb.length);
        checkTasks("hv", hv.length);
        for (int t = 0; t < tasks; t++) {
            Conv4Net.check("rDEmb[" + t + "]", rDEmb[t].length, (long) n * spec.embeddingSize());
            Conv4Net.check("hv[" + t + "]", hv[t].length, spec.numParams());
        }
        INDArray rgOut = embeddingGradient(TaskArrays.gather(rDEmb, 0, rDEmb[0].length).reshape('c', (long) tasks * n, -1));
        for (int b = blocks.length - 1; b >= 0; b--) {
            Block k = blocks[b];
            INDArray rga = pooled() ? Nd4jMaxPool.backward(k.a, rgOut) : rgOut;
            INDArray rgy = rga.mul(k.mask);
            TaskArrays.scatter(hv, spec.gammaOffset(b), ch.sums(rgy.mul(k.xh).addi(k.gy.mul(k.rxh))));
            TaskArrays.scatter(hv, spec.betaOffset(b), ch.sums(rgy));
            INDArray rgxh = ch.scale(k.gy, k.vg).addi(ch.scale(rgy, k.g));
            INDArray rgz = normalizedGradient(k, rgxh, ch.means(rgxh.mul(k.xh)))        // s (R gxh - mean - xh mean(xh R gxh))
                    .subi(ch.scale(ch.scale(k.rxh, k.meanGxhXh), k.s))                  // - s Rxh mean(gxh xh)
                    .subi(ch.scale(ch.scale(k.xh, ch.means(k.gxh.mul(k.rxh))), k.s))    // - s xh mean(gxh Rxh)
                    .subi(ch.scale(k.gz, k.meanXhRz.mul(k.s)));                         // - s mean(xh Rz) gz
            INDArray rgzm = taskMajor(rgz);
            INDArray rgw = weightGradient(rgzm, k.cols);                                // bwdW(x, R gz)
            INDArray gzm = k.rcols != null || b > 0 ? taskMajor(k.gz) : null;
            if (k.rcols != null) rgw.addi(weightGradient(gzm, k.rcols));                // + bwdW(R x, gz)
            TaskArrays.scatter(hv, spec.weightOffset(b), rgw);
            if (b > 0) {                                                                // bwdData(R gz, W) + bwdData(gz, V_W)
                INDArray viaV = Nd4j.matmul(k.vw, gzm, true, false, false);
                rgOut = col2im(Nd4j.matmul(k.w, rgzm, true, false, false).addi(viaV), b, k.inSize);
                viaV.close();
            }
            rgzm.close();
            if (gzm != null) gzm.close();
        }
    }

    @Override
    public boolean holds(double[] params) {
        return tasks == 1 && loaded.holds(params);
    }

    @Override
    public long weightLoads() {
        return loads;
    }

    @Override
    public void close() {
        for (Block k : blocks) k.release();
        forwardDone = false;
        backwardDone = false;
        rForwardDone = false;
    }

    private void checkTasks(String what, int count) {
        if (count != tasks) throw new IllegalArgumentException(what + " holds " + count + " tasks; the last forward ran " + tasks);
    }

    private boolean pooled() {
        return spec.variant() == Conv4Spec.Variant.POOL;
    }

    /** K of block b: its input channels times the 3x3 kernel. */
    private int kSize(int b) {
        return spec.inChannels(b) * Conv4Spec.KERNEL * Conv4Spec.KERNEL;
    }

    /** {@code [T n, C, k, k, oh, ow]} columns of the block's input (SAME padding), task-major: {@code [T, K, n P]}. */
    private INDArray im2col(INDArray in, int b) {
        int oh = spec.convOut(b);
        int st = spec.stride();
        int pad = spec.padBefore(b);
        INDArray cols = Nd4j.create(DataType.FLOAT, in.size(0), in.size(1), Conv4Spec.KERNEL, Conv4Spec.KERNEL, oh, oh);
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(in).addOutputs(cols)
                .addIntegerArguments(Conv4Spec.KERNEL, Conv4Spec.KERNEL, st, st, pad, pad, 1, 1, 1).build());
        INDArray taskMajor = cols.reshape('c', tasks, n, kSize(b), (long) oh * oh).permute(0, 2, 1, 3).dup('c')
                .reshape('c', tasks, kSize(b), (long) n * oh * oh);
        cols.close();
        return taskMajor;
    }

    /**
     * The input gradient {@code [T n, C, size, size]} of task-major column gradients {@code [T, K, n P]}, a temporary
     * this frees.
     */
    private INDArray col2im(INDArray colsGrad, int b, int size) {
        int oh = spec.convOut(b);
        int st = spec.stride();
        int pad = spec.padBefore(b);
        INDArray cols = colsGrad.reshape('c', tasks, kSize(b), n, (long) oh * oh).permute(0, 2, 1, 3).dup('c')
                .reshape('c', (long) tasks * n, spec.inChannels(b), Conv4Spec.KERNEL, Conv4Spec.KERNEL, oh, oh);
        colsGrad.close();
        INDArray out = Nd4j.create(DataType.FLOAT, (long) tasks * n, spec.inChannels(b), size, size);
        Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(cols).addOutputs(out)
                .addIntegerArguments(st, st, pad, pad, size, size, 1, 1, 0).build());
        cols.close();
        return out;
    }

    /** Each task's {@code conv(x, W_t)}, {@code [T n, O, oh, ow]}, from its weights and its input's columns. */
    private INDArray conv(INDArray w, INDArray cols, int b) {
        int oh = spec.convOut(b);
        INDArray product = Nd4j.matmul(w, cols);
        INDArray z = product.reshape('c', tasks, spec.filters(), n, (long) oh * oh).permute(0, 2, 1, 3).dup('c')
                .reshape('c', (long) tasks * n, spec.filters(), oh, oh);
        product.close();
        return z;
    }

    /** Each task's weight gradient {@code [T, O, K]} from its output gradient (task-major) and input columns. */
    private static INDArray weightGradient(INDArray gOutTaskMajor, INDArray cols) {
        return Nd4j.matmul(gOutTaskMajor, cols, false, true, false);
    }

    /** {@code [T n, C, h, w]} as {@code [T, C, n h w]}: the layout of the batched matrix products. */
    private INDArray taskMajor(INDArray a) {
        long c = a.size(1);
        long hw = a.size(2) * a.size(3);
        return a.reshape('c', tasks, n, c, hw).permute(0, 2, 1, 3).dup('c').reshape('c', tasks, c, n * hw);
    }
}
