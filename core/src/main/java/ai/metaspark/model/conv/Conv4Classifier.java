package ai.metaspark.model.conv;

/**
 * Conv-4 with a linear head and softmax cross-entropy: the MAML classifier, and (through {@link #embed} and
 * {@link #embedBackward}) the embedding network of Prototypical Networks.
 *
 * <p><b>Parameter layout</b> ({@link #numParams()} values): the conv parameters of {@link Conv4Spec} (offsets
 * {@code 0 .. spec.numParams()}), then the head weights {@code W[embeddingSize, classes]} row-major (logit
 * {@code j} of an embedding {@code e} is {@code sum_k e[k] W[k, j] + b[j]}), then the bias {@code b[classes]}.
 * The loss is the mean over the batch of {@code -log softmax(logits)[label]}. The network runs in f32 (oneDNN); the
 * head, the loss and the conversions at the boundary are in double.
 *
 * <p><b>Exact Hessian-vector products</b> ({@link #hessianVector}) run the R-operator ({@link Conv4Passes#directionalForward},
 * {@link Conv4Passes#directionalBackward} and the head's in double) on the state a {@link #gradient} left behind, so a
 * product at the parameters and images of a kept gradient pass needs no second forward and backward. Two networks
 * (slots) keep the last pass of the two most recent image sets each, so MAML's support-set gradient is still there
 * when its query-set passes have run. A gradient on the same images at other parameters (the inner steps
 * {@code p_0 .. p_k-1} on one support set) moves the slot's pass to a history of {@value #HISTORY} more networks
 * instead of overwriting it, so the backward recursion of up to {@value #HISTORY} + 1 inner steps finds every pass.
 * History networks only keep sets of at most {@value #HISTORY_MAX_IMAGES} images (their native memory grows with the
 * set); any other product recomputes its pass.
 *
 * <p>Not thread-safe: one instance per thread; {@link #close()} frees the native memory.
 */
public final class Conv4Classifier implements AutoCloseable {
    /** Networks that keep earlier gradient passes on the same images (built on first use). */
    static final int HISTORY = 4;
    /** Largest image set whose passes the history keeps: it bounds the history's native memory (20-way 1-shot: 20). */
    static final int HISTORY_MAX_IMAGES = 25;
    private final Conv4Spec spec;
    private final Conv4Backend backend;
    private final int classes;
    private final LinearHead head;
    private final Slot[] slots;
    /** Earlier passes on the image set of a slot, oldest first; at most {@link #HISTORY}. */
    private final java.util.ArrayDeque<Slot> history = new java.util.ArrayDeque<>();
    private Slot current;
    /** Gradient passes (forward and backward) run so far, recomputations for products included. */
    private long passes;
    /** The conv part of a direction, then of H v, in f32. */
    private float[] convScratch;

    /**
     * A network and what its last pass was: the image set (by identity) and, after a gradient, its head parameters and
     * state. The conv parameters of that pass are the ones its network holds ({@link Conv4Passes#holds}): no copy.
     */
    private static final class Slot {
        final Conv4Passes net;
        double[] x;
        /** The array the last pass's parameters came from: a hint for {@link #slotFor}, never trusted for results. */
        double[] paramsFrom;
        /** The head parameters of the last gradient (a copy); meaningful while {@code hasGradient}. */
        double[] head;
        boolean hasGradient;
        int[] labels;
        double[] e;
        double[] z;
        double[] dz;

        Slot(Conv4Spec spec, Conv4Backend backend) {
            net = backend.create(spec);
        }

        boolean holdsGradient(double[] p, double[] images, int[] l) {
            return holdsGradient(p, images) && java.util.Arrays.equals(labels, l);
        }

        boolean holdsGradient(double[] p, double[] images) {
            return x == images && hasGradient && holdsParams(p);
        }

        /** Whether the last pass ran at {@code p}: head by the copy, conv part by the network (compared, not assumed). */
        boolean holdsParams(double[] p) {
            int h0 = p.length - head.length;
            return h0 >= 0 && java.util.Arrays.equals(p, h0, p.length, head, 0, head.length) && net.holds(p);
        }
    }

    /** On oneDNN ({@link Conv4Backend#ONEDNN}). */
    public Conv4Classifier(Conv4Spec spec, int classes) {
        this(spec, classes, Conv4Backend.ONEDNN);
    }

    public Conv4Classifier(Conv4Spec spec, int classes, Conv4Backend backend) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.spec = spec;
        this.classes = classes;
        this.head = new LinearHead(spec.numParams(), spec.embeddingSize(), classes);
        this.backend = backend;
        this.slots = new Slot[] {new Slot(spec, backend), new Slot(spec, backend)};
    }

    public Conv4Spec spec() {
        return spec;
    }

    public int classes() {
        return classes;
    }

    /** Conv parameters + head weights + head bias. */
    public int numParams() {
        return head.numParams();
    }

    /** Offset of the head weights {@code W[embeddingSize, classes]}; the bias follows them. */
    public int headOffset() {
        return spec.numParams();
    }

    /** {@link Conv4Spec#initialParams} for the conv part, Glorot-uniform head weights, zero head bias. */
    public double[] initialParams(long seed) {
        return initialParams(spec, classes, seed);
    }

    /** Parameters of a classifier of {@code classes} on {@code spec}, without building one (no native memory). */
    public static int numParams(Conv4Spec spec, int classes) {
        return spec.numParams() + spec.embeddingSize() * classes + classes;
    }

    /** {@link #initialParams(long)} of a classifier of {@code classes} on {@code spec}, without building one. */
    public static double[] initialParams(Conv4Spec spec, int classes, long seed) {
        int emb = spec.embeddingSize();
        int head = spec.numParams();
        double[] p = new double[numParams(spec, classes)];
        System.arraycopy(spec.initialParams(seed), 0, p, 0, head);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double limit = Math.sqrt(6.0 / (emb + classes));
        for (int i = head; i < head + emb * classes; i++) {
            p[i] = limit * (2 * rng.nextDouble() - 1);
        }
        return p;
    }

    /** Mean cross-entropy of {@code params} on the {@code labels.length} images {@code x}. */
    public double loss(double[] params, double[] x, int[] labels) {
        double[] e = embedChecked(params, x, labels.length);
        return SoftmaxLoss.crossEntropy(head.logits(params, e, labels.length, true), labels, classes, null);
    }

    /** Writes the gradient of {@link #loss} into {@code grad} (length {@link #numParams()}) and returns the loss. */
    public double gradient(double[] params, double[] x, int[] labels, double[] grad) {
        Conv4Net.check("grad", grad.length, numParams());
        int n = labels.length;
        if (n <= HISTORY_MAX_IMAGES) keepPassOf(params, x);
        passes++;
        double[] e = embedChecked(params, x, n);
        double[] z = head.logits(params, e, n, true);
        double[] dz = new double[n * classes];
        double loss = SoftmaxLoss.crossEntropy(z, labels, classes, dz);
        embedBackward(head.embeddingGradient(params, dz, n), grad);
        head.gradient(e, dz, n, grad);
        Slot s = current;
        s.head = java.util.Arrays.copyOfRange(params, headOffset(), params.length);
        s.hasGradient = true;
        s.labels = labels.clone();
        s.e = e;
        s.z = z;
        s.dz = dz;
        return loss;
    }

    /**
     * Writes {@code H v} into {@code out}, H being the Hessian of {@link #loss} at {@code params}: exact (the
     * R-operator), with the ReLU masks and max-pool choices of {@code params}.
     */
    public void hessianVector(double[] params, double[] x, int[] labels, double[] v, double[] out) {
        Conv4Net.check("v", v.length, numParams());
        Conv4Net.check("out", out.length, numParams());
        Slot s = find(params, x, labels);
        if (s == null) {
            gradient(params, x, labels, new double[numParams()]);
            s = current;
        }
        current = s;
        int h0 = headOffset();
        if (convScratch == null) convScratch = new float[h0];
        double[] rh = Conv4Net.toDouble(s.net.directionalForward(Conv4Net.toFloat(v, convScratch)));
        double[] rgh = head.hessianVector(params, v, s.e, s.dz, s.labels, rh, out);
        s.net.directionalBackward(Conv4Net.toFloat(rgh, new float[rgh.length]), convScratch);
        for (int i = 0; i < h0; i++) out[i] = convScratch[i];
    }

    /** The logits of the last {@link #gradient}, row-major {@code [n, classes]} (not a copy: read, do not keep). */
    public double[] lastLogits() {
        if (current == null || !current.hasGradient) throw new IllegalStateException("lastLogits needs a gradient first");
        return current.z;
    }

    /** Gradient passes run so far (each {@link #gradient}, and each product that found no kept pass). */
    long passes() {
        return passes;
    }

    /** Parameter loads with new values so far, over every network ({@link Conv4Passes#weightLoads}). */
    long weightLoads() {
        long n = 0;
        for (Slot s : slots) n += s.net.weightLoads();
        for (Slot s : history) n += s.net.weightLoads();
        return n;
    }

    private Slot find(double[] params, double[] x, int[] labels) {
        return kept(s -> s.holdsGradient(params, x, labels));
    }

    /** The first slot, then history network, whose kept pass fits; null if none does. */
    private Slot kept(java.util.function.Predicate<Slot> fits) {
        for (Slot s : slots) {
            if (fits.test(s)) return s;
        }
        for (Slot s : history) {
            if (fits.test(s)) return s;
        }
        return null;
    }

    /**
     * Before a gradient on {@code x} at {@code params}: if a slot holds a gradient pass on {@code x} at other
     * parameters, it moves to the history (the oldest history network, or a new one, takes its place), so that the
     * coming pass does not overwrite it.
     */
    private void keepPassOf(double[] params, double[] x) {
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            if (s.x == x && s.hasGradient && !s.holdsParams(params)) {
                Slot spare = history.size() < HISTORY ? new Slot(spec, backend) : history.pollFirst();
                history.addLast(s);
                spare.x = x;
                spare.hasGradient = false;
                slots[i] = spare;
                if (current == s) current = spare;
                return;
            }
        }
    }

    /**
     * The slot that last saw {@code x}; else the one whose network has {@code params} loaded (MAML's support sets, all
     * at theta, then reorder no weights); else the one used less recently. Its gradient state is dropped. A slot whose
     * last pass took its parameters from the array {@code params} is taken without comparing the values (MAML passes
     * the same theta array for every task): the array is only a hint, since the network compares the values before
     * it skips a load, so a wrong guess costs a reload, never a wrong result.
     */
    private Slot slotFor(double[] x, double[] params) {
        Slot s = slots[0].x == x ? slots[0] : slots[1].x == x ? slots[1]
                : slots[0].paramsFrom == params ? slots[0] : slots[1].paramsFrom == params ? slots[1]
                : slots[0].net.holds(params) ? slots[0] : slots[1].net.holds(params) ? slots[1]
                : current == slots[0] ? slots[1] : slots[0];
        s.x = x;
        s.paramsFrom = params;
        s.hasGradient = false;
        current = s;
        return s;
    }

    /** Logits, row-major {@code [n, classes]}; those of the last {@link #gradient} when it ran on the same images and parameters. */
    public double[] predict(double[] params, double[] x, int n) {
        Slot s = kept(k -> k.holdsGradient(params, x) && k.labels.length == n);
        if (s != null) return s.z.clone();
        return head.logits(params, embedChecked(params, x, n), n, true);
    }

    /**
     * Embeddings {@code [n, embeddingSize]} under the conv parameters: the first {@link Conv4Spec#numParams()}
     * entries of {@code params} (a conv-only vector or a full classifier vector; the head is ignored).
     */
    public double[] embed(double[] params, double[] x, int n) {
        if (params.length < spec.numParams()) {
            throw new IllegalArgumentException("params has length " + params.length + ", expected at least " + spec.numParams());
        }
        return slotFor(x, params).net.forward(params, x, n);
    }

    /**
     * Backward of the last {@link #embed} (or {@link #loss}/{@link #gradient}/{@link #predict}): writes the conv part
     * of the gradient for the embedding gradient {@code dEmb} into {@code gradOut[0 .. spec.numParams())}; the rest
     * of {@code gradOut} (a head, if it has one) is left as it is.
     */
    public void embedBackward(double[] dEmb, double[] gradOut) {
        if (gradOut.length < spec.numParams()) {
            throw new IllegalArgumentException("gradOut has length " + gradOut.length + ", expected at least " + spec.numParams());
        }
        if (current == null) {
            throw new IllegalStateException("embedBackward needs an embed first");
        }
        current.net.backward(dEmb, gradOut, null);
    }

    private double[] embedChecked(double[] params, double[] x, int n) {
        Conv4Net.check("params", params.length, numParams());
        return embed(params, x, n);
    }

    @Override
    public void close() {
        for (Slot s : slots) {
            s.net.close();
        }
        for (Slot s : history) {
            s.net.close();
        }
    }
}
