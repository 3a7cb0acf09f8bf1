package ai.metaspark.model.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchNormR}'s four sweeps on the Java Vector API ({@code jdk.incubator.vector}). In the layout
 * {@code nChw<block>c} a position's {@code block} channels are contiguous, so one vector holds them (or a whole number
 * of vectors do): each lane is one channel, and its sums add the positions of a chunk in order, exactly as
 * {@link BatchNormR}'s per-channel loops do. Same operations in the same order, no fused multiply-add: the same bits
 * (a test compares them), 16 channels an instruction. Loaded only where the JVM resolved the module.
 */
final class BatchNormLanes {
    /** The CPU's preferred vector; a constant, as C2 needs to compile the operations to vector instructions. */
    private static final VectorSpecies<Float> f = FloatVector.SPECIES_PREFERRED;
    private final BatchNormR r;
    private final FloatVector zero = FloatVector.zero(f);
    private final FloatVector one = FloatVector.broadcast(f, 1f);
    private static final int L = f.length();
    /**
     * A chunk's running sums, up to six vectors. In memory, not in vector variables: C2 (JDK 17) boxes a vector that
     * a loop carries from one iteration to the next, which made the summing sweeps 4x slower (measured).
     */
    private final float[] acc = new float[6 * L];

    BatchNormLanes(BatchNormR r) {
        this.r = r;
    }

    /** Floats a vector: 16 with AVX-512, 8 with AVX2. */
    static int lanes() {
        return f.length();
    }

    private FloatVector at(float[] a, int i) {
        return FloatVector.fromArray(f, a, i);
    }

    /** Adds {@code v} to running sum {@code t} of the chunk (kept in memory: see {@link #acc}). */
    private void accumulate(int t, FloatVector v) {
        at(acc, t * L).add(v).intoArray(acc, t * L);
    }

    /** Adds {@code v} lane by lane into {@code a[q ..]}: a channel's total gets its chunk's sum. */
    private void addInto(float[] a, int q, FloatVector v) {
        at(a, q).add(v).intoArray(a, q);
    }

    void forwardSums(float[] z, float[] a, float[] mean, float[] rz) {
        int step = r.block;
        for (int k = 0; k < r.chunks; k++) {
            for (int j = 0; j < step; j += f.length()) {
                int q = r.firstChannel(k) + j;
                FloatVector mu = at(mean, q);
                FloatVector sq = at(r.s, q);
                for (int t = 0; t < 2; t++) zero.intoArray(acc, t * L);
                for (int p = 0, i = r.base(k) + j; p < r.hw; p++, i += step) {
                    FloatVector x = at(z, i).sub(mu).mul(sq);
                    x.intoArray(r.xh, i);
                    VectorMask<Float> positive = at(a, i).compare(VectorOperators.GT, 0f);
                    zero.blend(one, positive).intoArray(r.mask, i);
                    FloatVector rzi = at(rz, i);
                    accumulate(0, rzi);
                    accumulate(1, x.mul(rzi));
                }
                addInto(r.meanRz, q, at(acc, 0));
                addInto(r.meanXhRz, q, at(acc, L));
            }
        }
    }

    void forwardOut(float[] g, float[] rz, float[] vg, float[] vt, float[] ra) {
        int step = r.block;
        for (int k = 0; k < r.chunks; k++) {
            for (int j = 0; j < step; j += f.length()) {
                int q = r.firstChannel(k) + j;
                FloatVector sq = at(r.s, q);
                FloatVector mr = at(r.meanRz, q);
                FloatVector mxr = at(r.meanXhRz, q);
                FloatVector gq = at(g, q);
                FloatVector vgq = at(vg, q);
                FloatVector vtq = at(vt, q);
                for (int p = 0, i = r.base(k) + j; p < r.hw; p++, i += step) {
                    FloatVector x = at(r.xh, i);
                    FloatVector rx = sq.mul(at(rz, i).sub(mr).sub(x.mul(mxr)));
                    rx.intoArray(r.rxh, i);
                    at(r.mask, i).mul(vgq.mul(x).add(gq.mul(rx)).add(vtq)).intoArray(ra, i);
                }
            }
        }
    }

    void backwardSums(float[] ga, float[] rga, float[] g, float[] vg, float[] rdg, float[] rdt) {
        int step = r.block;
        for (int k = 0; k < r.chunks; k++) {
            for (int j = 0; j < step; j += f.length()) {
                int q = r.firstChannel(k) + j;
                FloatVector gq = at(g, q);
                FloatVector vgq = at(vg, q);
                for (int t = 0; t < 6; t++) zero.intoArray(acc, t * L);
                for (int p = 0, i = r.base(k) + j; p < r.hw; p++, i += step) {
                    FloatVector mi = at(r.mask, i);
                    FloatVector gy = mi.mul(at(ga, i));
                    FloatVector rgy = mi.mul(at(rga, i));
                    FloatVector x = at(r.xh, i);
                    FloatVector rx = at(r.rxh, i);
                    accumulate(0, rgy.mul(x).add(gy.mul(rx)));
                    accumulate(1, rgy);
                    accumulate(2, gy.mul(x));
                    accumulate(3, gy.mul(rx));
                    FloatVector rg = vgq.mul(gy).add(gq.mul(rgy));
                    rg.intoArray(r.rgxh, i);
                    accumulate(4, rg);
                    accumulate(5, x.mul(rg));
                }
                addInto(rdg, q, at(acc, 0));
                addInto(rdt, q, at(acc, L));
                addInto(r.sums[0], q, gq.mul(at(acc, 2 * L)));
                addInto(r.sums[1], q, gq.mul(at(acc, 3 * L)));
                addInto(r.sums[2], q, at(acc, 4 * L));
                addInto(r.sums[3], q, at(acc, 5 * L));
            }
        }
    }

    void backwardOut(float[] gz, float[] rgz) {
        int step = r.block;
        for (int k = 0; k < r.chunks; k++) {
            for (int j = 0; j < step; j += f.length()) {
                int q = r.firstChannel(k) + j;
                FloatVector sq = at(r.s, q);
                FloatVector mr = at(r.sums[2], q);
                FloatVector xr = at(r.sums[3], q).add(at(r.sums[1], q));
                FloatVector gx = at(r.sums[0], q);
                FloatVector mxr = at(r.meanXhRz, q);
                for (int p = 0, i = r.base(k) + j; p < r.hw; p++, i += step) {
                    FloatVector d = at(r.rgxh, i).sub(mr).sub(at(r.xh, i).mul(xr)).sub(at(r.rxh, i).mul(gx)).sub(mxr.mul(at(gz, i)));
                    sq.mul(d).intoArray(rgz, i);
                }
            }
        }
    }
}
