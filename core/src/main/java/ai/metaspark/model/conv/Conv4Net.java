package ai.metaspark.model.conv;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * Conv-4 forward and backward on oneDNN primitives (f32 inside; float or double at the boundary).
 *
 * <p>{@link #forward} maps images to embeddings; {@link #backward} takes the gradient of a loss with respect to those
 * embeddings and writes the gradient with respect to the parameters (the flat layout of {@link Conv4Spec}) and, if
 * asked, the input. Batch norm always normalises with the current batch's mean and (biased) variance, as MAML and
 * Prototypical Networks do (transductive; no running averages), and the backward pass differentiates through those
 * statistics.
 *
 * <p><b>Not thread-safe.</b> An instance owns a oneDNN engine and stream, the primitives and activation buffers of
 * every batch size it has seen (built on first use, then cached: building costs milliseconds) and the state between
 * a forward and its backward. Use one instance per thread and {@link #close()} it to free the native memory (about
 * 1 MB per image of the largest batch for the 28x28 POOL network). oneDNN runs each call on {@code OMP_NUM_THREADS}
 * OpenMP threads.
 */
public final class Conv4Net implements Conv4Passes {
    private final Conv4Spec spec;
    private final NativeScope scope = new NativeScope();
    private final Dnnl dnnl;
    private final ParamBuffers params;
    private final Map<Integer, Conv4Plan> plans = new HashMap<>();
    private final Map<Conv4Plan, Conv4RPass> rPasses = new HashMap<>();
    private final float[] paramScratch;
    /** The conv parameters loaded last, by either {@code forward}. */
    private final LoadedParams loaded;
    private Conv4Plan current;
    private boolean backwardDone;
    private boolean closed;

    public Conv4Net(Conv4Spec spec) {
        this.spec = spec;
        engine eng = scope.keep(new engine(engine.kind.cpu, 0));
        this.dnnl = new Dnnl(eng, scope.keep(new stream(eng)), scope);
        this.params = new ParamBuffers(spec, eng, scope);
        this.paramScratch = new float[spec.numParams()];
        this.loaded = new LoadedParams(spec);
    }

    public Conv4Spec spec() {
        return spec;
    }

    /**
     * Embeddings of {@code n} images {@code x} (row-major {@code [n, channels, size, size]}) under {@code params};
     * returns row-major {@code [n, embeddingSize]}.
     */
    public float[] forward(float[] params, float[] x, int n) {
        check("params", params.length, spec.numParams());
        if (!loaded.holds(params)) this.params.load(loaded.set(params));
        return run(x, n);
    }

    private float[] run(float[] x, int n) {
        check("x (n x " + spec.inputSize() + ")", x.length, (long) n * spec.inputSize());
        Conv4Plan p = plan(n);
        p.x.put(x, 0, n * spec.inputSize());
        p.forward();
        float[] emb = new float[n * spec.embeddingSize()];
        p.emb.get(emb);
        current = p;
        backwardDone = false;
        return emb;
    }

    /**
     * {@link #forward(float[], float[], int)} with double arrays (converted to f32); {@code params} may be longer
     * than {@link Conv4Spec#numParams()} (a classifier's vector): the rest is ignored.
     */
    @Override
    public double[] forward(double[] params, double[] x, int n) {
        if (params.length < spec.numParams()) {
            throw new IllegalArgumentException("params has length " + params.length + ", expected at least " + spec.numParams());
        }
        if (!loaded.holds(params)) this.params.load(loaded.set(params));
        return toDouble(run(toFloat(x, new float[x.length]), n));
    }

    /**
     * Whether the parameters loaded last are, as floats, the first {@link Conv4Spec#numParams()} entries of
     * {@code params}: a forward at them reorders no weights and gives the same bits as a fresh load.
     */
    @Override
    public boolean holds(double[] params) {
        return loaded.holds(params);
    }

    /** How many times parameters with new values were loaded (each reorders the weights into the primitives' layouts). */
    @Override
    public long weightLoads() {
        return params.version();
    }

    /**
     * Backward pass of the last {@link #forward}: {@code dEmb} is the loss gradient with respect to its embeddings
     * ({@code [n, embeddingSize]}); writes the parameter gradient into {@code grad} (overwritten, length
     * {@link Conv4Spec#numParams()}) and, when {@code dx} is not null, the input gradient ({@code [n, inputSize]}).
     * May be called again with another {@code dEmb} for the same forward.
     */
    public void backward(float[] dEmb, float[] grad, float[] dx) {
        Conv4Plan p = requireForward();
        check("dEmb", dEmb.length, (long) p.n * spec.embeddingSize());
        check("grad", grad.length, spec.numParams());
        if (dx != null) {
            check("dx", dx.length, (long) p.n * spec.inputSize());
        }
        p.dEmb.put(dEmb, 0, dEmb.length);
        p.backward(dx != null);
        backwardDone = true;
        params.store(grad);
        if (dx != null) {
            p.dx.get(dx, 0, dx.length);
        }
    }

    /**
     * {@link #backward(float[], float[], float[])} with double arrays; writes the first {@link Conv4Spec#numParams()}
     * entries of {@code grad} (which may be longer: a classifier's gradient) and leaves the rest.
     */
    @Override
    public void backward(double[] dEmb, double[] grad, double[] dx) {
        if (grad.length < spec.numParams()) {
            throw new IllegalArgumentException("grad has length " + grad.length + ", expected at least " + spec.numParams());
        }
        float[] g = paramScratch;
        float[] fdx = dx == null ? null : new float[dx.length];
        backward(toFloat(dEmb, new float[dEmb.length]), g, fdx);
        copy(g, grad);
        if (dx != null) {
            copy(fdx, dx);
        }
    }

    /**
     * The R-operator's forward pass: the directional derivative of the last {@link #forward}'s embeddings along
     * {@code v} (conv parameters, flat layout), {@code [n, embeddingSize]}. Needs the last forward's
     * {@link #backward} too (its gradients feed {@link #directionalBackward}); see {@link Conv4RPass}.
     */
    @Override
    public float[] directionalForward(float[] v) {
        Conv4Plan p = requireForward();
        check("v", v.length, spec.numParams());
        if (!backwardDone) {
            throw new IllegalStateException("the R-operator needs the forward's backward first");
        }
        return rPasses.computeIfAbsent(p, k -> new Conv4RPass(spec, k, dnnl, params)).forward(v);
    }

    /**
     * The R-operator's backward pass after {@link #directionalForward}: from {@code rDEmb}, the directional derivative
     * of the embedding gradient, writes the directional derivative of the conv parameters' gradient into {@code hv}:
     * {@code H v} when the embedding gradient is that of the loss.
     */
    @Override
    public void directionalBackward(float[] rDEmb, float[] hv) {
        Conv4Plan p = requireForward();
        check("rDEmb", rDEmb.length, (long) p.n * spec.embeddingSize());
        check("hv", hv.length, spec.numParams());
        Conv4RPass r = rPasses.get(p);
        if (r == null) {
            throw new IllegalStateException("directionalBackward needs directionalForward first");
        }
        r.backward(rDEmb, hv);
    }

    private Conv4Plan plan(int n) {
        if (closed) {
            throw new IllegalStateException("Conv4Net is closed");
        }
        if (n < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + n);
        }
        return plans.computeIfAbsent(n, k -> new Conv4Plan(spec, k, dnnl, params));
    }

    private Conv4Plan requireForward() {
        if (closed) {
            throw new IllegalStateException("Conv4Net is closed");
        }
        if (current == null) {
            throw new IllegalStateException("backward needs a forward first");
        }
        return current;
    }

    /** Frees the native engine, primitives and buffers. The instance cannot be used afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        current = null;
        for (Conv4RPass r : rPasses.values()) {
            r.close();
        }
        rPasses.clear();
        for (Conv4Plan p : plans.values()) {
            p.close();
        }
        plans.clear();
        scope.close();
    }

    static void check(String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " has length " + actual + ", expected " + expected);
        }
    }

    /** The first {@code out.length} entries of {@code a} as floats, in {@code out}. */
    static float[] toFloat(double[] a, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        copy(a, d);
        return d;
    }

    private static void copy(float[] a, double[] out) {
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
    }
}
