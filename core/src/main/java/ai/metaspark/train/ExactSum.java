package ai.metaspark.train;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * An order-independent sum of double vectors. Each value is truncated toward zero to a multiple of 2^-64 and the
 * truncated values are summed exactly, as a 128-bit fixed-point integer per component, so the result has the same bits
 * whatever the order of {@code add} and {@code merge} calls: across threads, Spark partitions, retries and tree
 * aggregation. Values of magnitude 2^40 or more, and non-finite ones, are refused as a divergence.
 *
 * <p>How, and why not simply 128-bit adds: a meta-step adds a parameter-length vector per task (3.6 million values per
 * Omniglot step), and 128-bit integer adds with carries do not vectorise. So {@code add} splits each value exactly into
 * three parts on fixed grids: a multiple of 2^5; a multiple of 2^-29 of magnitude at most 16; and the rest, truncated
 * toward zero (in the direction of the value's sign) to a multiple of 2^-64 and below 2^-30 in magnitude. Each part goes
 * to a double accumulator of its own. On such a grid double addition makes no rounding error for up to
 * {@link #FLUSH_EVERY} adds (the accumulators stay below 2^53 grid steps), after which, and before any read, merge or
 * serialization, the three accumulators are converted exactly into the 128-bit integers. The three parts add up to
 * the value truncated at 2^-64, so the integers, and every result, have the same bits as adding each value's truncation
 * directly; that costs plain double arithmetic on arrays, which the JIT vectorises.
 */
public final class ExactSum implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Values of this magnitude or more are refused. */
    private static final double LIMIT = 0x1p40;
    /** Adds (of a vector, or of one component) after which the double accumulators are emptied into the integers. */
    static final int FLUSH_EVERY = 1 << 18;
    /** Adding then subtracting {@code 1.5 * 2^52 * q} rounds to a multiple of q (for magnitudes below {@code 2^51 q}). */
    private static final double ROUND_COARSE = 1.5 * 0x1p52 * 0x1p5;
    private static final double ROUND_MIDDLE = 1.5 * 0x1p52 * 0x1p-29;
    /** Below this magnitude a value's coarse part is 0: it is less than half the coarse grid's step 2^5. */
    private static final double SMALL = 16;
    private final long[] hi;
    private final long[] lo;
    private transient double[] coarse;
    private transient double[] middle;
    private transient double[] fine;
    private transient int pending;

    public ExactSum(int size) {
        this(new long[size], new long[size]);
    }

    private ExactSum(long[] hi, long[] lo) {
        this.hi = hi;
        this.lo = lo;
    }

    /** A sum from its 128-bit integers in units of 2^-64 ({@link #high()}, {@link #low()}), as a serializer reads it. */
    public static ExactSum of(long[] high, long[] low) {
        if (high.length != low.length) throw new IllegalArgumentException("length " + high.length + " != " + low.length);
        return new ExactSum(high.clone(), low.clone());
    }

    public int size() {
        return hi.length;
    }

    /** The upper 64 bits of each component's 128-bit integer (two's complement, units of 2^-64); a copy. */
    public long[] high() {
        flush();
        return hi.clone();
    }

    /** The lower 64 bits of each component's 128-bit integer; a copy. */
    public long[] low() {
        flush();
        return lo.clone();
    }

    /** Adds {@code values[k]} to component k. */
    public void add(double[] values) {
        if (values.length != hi.length) throw new IllegalArgumentException("length " + values.length + " != " + hi.length);
        double max = 0;
        for (double v : values) max = Math.max(max, Math.abs(v));
        if (!(max < LIMIT)) {
            for (int k = 0; k < values.length; k++) check(k, values[k]);
        }
        bins();
        if (max < SMALL) {
            for (int k = 0; k < values.length; k++) addSplitSmall(k, values[k]);
        } else {
            for (int k = 0; k < values.length; k++) addSplit(k, values[k]);
        }
        counted();
    }

    /** Adds one value to component k. */
    public void add(int k, double value) {
        check(k, value);
        bins();
        addSplit(k, value);
        counted();
    }

    private static void check(int k, double value) {
        if (!(Math.abs(value) < LIMIT)) {
            throw new ArithmeticException("value " + value + " at index " + k + " is not finite or too large to sum (diverged?)");
        }
    }

    /**
     * The three parts of {@code x} into the accumulators. {@code s}, the sign of x, is {@code x / (|x| + 2^-1074)}
     * rather than {@code Math.copySign} (which C2 does not vectorise on JDK 17; measured 2.3x faster per meta-gradient,
     * same bits). It is exactly +-1 for {@code |x| >= 2^-1020}, where 2^-1074 is below half an ulp of |x|: so wherever
     * the fine part can be nonzero ({@code |x| >= 2^-64}) and wherever {@code r - b} can have the opposite sign to x
     * (b nonzero: {@code |x| >= 2^-30}). Below that, b = 0 and {@code r - b = x} with {@code |x 2^64| < 1}; s has x's
     * sign (+-0 for x = +-0), so {@code s floor(s x 2^64)} is 0, the truncation, either way.
     */
    private void addSplit(int k, double x) {
        double a = (x + ROUND_COARSE) - ROUND_COARSE;
        coarse[k] += a;
        addRest(k, x, x - a);
    }

    /**
     * {@link #addSplit} for {@code |x| < } {@value #SMALL}, as gradients are: the coarse part (x rounded to a multiple
     * of 2^5) is then exactly 0, so {@code r = x} and the coarse accumulator is not touched (a quarter less memory
     * traffic per value; the same bits).
     */
    private void addSplitSmall(int k, double x) {
        addRest(k, x, x);
    }

    /** The middle and fine parts of {@code r}, x less its coarse part, into their accumulators (see {@link #addSplit}). */
    private void addRest(int k, double x, double r) {
        double b = (r + ROUND_MIDDLE) - ROUND_MIDDLE;
        double s = x / (Math.abs(x) + Double.MIN_VALUE);
        middle[k] += b;
        fine[k] += s * Math.floor(s * (r - b) * 0x1p64) * 0x1p-64;
    }

    private void bins() {
        if (coarse == null) {
            coarse = new double[hi.length];
            middle = new double[hi.length];
            fine = new double[hi.length];
        }
    }

    private void counted() {
        if (++pending == FLUSH_EVERY) flush();
    }

    /**
     * Moves the double accumulators into the integers; each is an integer number of its grid steps below 2^53. Reads,
     * merges and serialization do it anyway; calling it on the thread that added the values moves that work there.
     */
    public void flush() {
        if (pending == 0) return;
        for (int k = 0; k < hi.length; k++) {
            long a = (long) coarse[k];
            long b = (long) (middle[k] * 0x1p29);
            long c = (long) (fine[k] * 0x1p64);
            addRaw(k, a, 0);
            addRaw(k, b >> 29, b << 35);
            addRaw(k, c >> 63, c);
        }
        Arrays.fill(coarse, 0);
        Arrays.fill(middle, 0);
        Arrays.fill(fine, 0);
        pending = 0;
    }

    private void addRaw(int k, long h, long l) {
        long a = lo[k];
        long sum = a + l;
        long carry = ((a & l) | ((a | l) & ~sum)) >>> 63;
        hi[k] = hi[k] + h + carry;
        lo[k] = sum;
    }

    /** Adds another sum, component by component. */
    public void merge(ExactSum other) {
        if (other.size() != size()) throw new IllegalArgumentException("length " + other.size() + " != " + size());
        flush();
        other.flush();
        for (int k = 0; k < hi.length; k++) {
            addRaw(k, other.hi[k], other.lo[k]);
        }
    }

    /** Component k as a double. */
    public double get(int k) {
        flush();
        long h = hi[k];
        long l = lo[k];
        boolean negative = h < 0;
        if (negative) {
            l = ~l + 1;
            h = ~h + (l == 0 ? 1 : 0);
        }
        double unsignedLo = (double) (l >>> 1) * 2.0 + (l & 1);
        double magnitude = (double) h * 0x1p0 + unsignedLo * 0x1p-64;
        return negative ? -magnitude : magnitude;
    }

    /** All components divided by {@code divisor}. */
    public double[] mean(double divisor) {
        double[] out = new double[hi.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = get(k) / divisor;
        }
        return out;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        flush();
        out.defaultWriteObject();
    }
}
