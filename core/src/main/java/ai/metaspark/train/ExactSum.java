package ai.metaspark.train;

import java.io.Serializable;

/**
 * An order-independent sum of double vectors. Each value is converted exactly (truncated below 2^-64) to a 128-bit
 * fixed-point integer and integers are added, so the result has the same bits whatever the order of {@code add} and
 * {@code merge} calls: across threads, Spark partitions, retries and tree aggregation. Values of magnitude 2^40 or more
 * are refused as a divergence.
 */
public final class ExactSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int FRACTION_BITS = 64;
    private static final double LIMIT = 0x1p40;
    private final long[] hi;
    private final long[] lo;

    public ExactSum(int size) {
        hi = new long[size];
        lo = new long[size];
    }

    public int size() {
        return hi.length;
    }

    /** Adds {@code values[k]} to component k. */
    public void add(double[] values) {
        if (values.length != hi.length) throw new IllegalArgumentException("length " + values.length + " != " + hi.length);
        for (int k = 0; k < values.length; k++) {
            add(k, values[k]);
        }
    }

    /**
     * Adds one value to component k: {@code floor(|value| 2^64)} as a 128-bit integer, negated for negative values.
     * Branch-free (the integer and fraction parts are split in double arithmetic, which is exact here), because a
     * meta-step adds a parameter-length vector per task: 3.6 million values per Omniglot step.
     */
    public void add(int k, double value) {
        if (!(Math.abs(value) < LIMIT)) {
            throw new ArithmeticException("value " + value + " at index " + k + " is not finite or too large to sum (diverged?)");
        }
        double mag = Math.abs(value);
        double whole = Math.floor(mag);
        double upper = (mag - whole) * 0x1p32;
        double upperWhole = Math.floor(upper);
        long h = (long) whole;
        long l = ((long) upperWhole << 32) | (long) ((upper - upperWhole) * 0x1p32);
        long sign = Double.doubleToRawLongBits(value) >> 63; // 0, or -1 for negative values
        long lowIsZero = ((l | -l) >>> 63) ^ 1;
        h = (h ^ sign) + (sign & lowIsZero);
        l = (l ^ sign) - sign;
        addRaw(k, h, l);
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
        for (int k = 0; k < hi.length; k++) {
            addRaw(k, other.hi[k], other.lo[k]);
        }
    }

    /** Component k as a double. */
    public double get(int k) {
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
}
