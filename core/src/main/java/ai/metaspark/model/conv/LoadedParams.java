package ai.metaspark.model.conv;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The conv parameters a network loaded last, as the floats it computes with: a pass at parameters with the same float
 * values needs no reload (oneDNN: no weight reorders; ND4J: no new arrays) and gives the same bits, so a kept pass may
 * stand for it. Every {@link Conv4Passes} keeps one. Comparing doubles against the kept floats reads a third less
 * memory than keeping the doubles, and a load converts only once (the network then copies these floats in).
 */
final class LoadedParams {
    private final float[] values;
    private boolean valid;

    LoadedParams(Conv4Spec spec) {
        values = new float[spec.numParams()];
    }

    /** Whether the first {@link Conv4Spec#numParams()} entries of {@code params}, as floats, are the values loaded last. */
    boolean holds(double[] params) {
        return valid && params.length >= values.length && sameAsFloats(params, values);
    }

    /** {@link #holds(double[])} for float parameters. */
    boolean holds(float[] params) {
        int n = values.length;
        return valid && params.length >= n && java.util.Arrays.equals(params, 0, n, values, 0, n);
    }

    /** Records {@code params} (its first {@link Conv4Spec#numParams()} entries) as loaded; returns them as floats. */
    float[] set(double[] params) {
        Conv4Net.toFloat(params, values);
        valid = true;
        return values;
    }

    /** {@link #set(double[])} for float parameters. */
    float[] set(float[] params) {
        System.arraycopy(params, 0, values, 0, values.length);
        valid = true;
        return values;
    }

    /** Forgets them: parameters were loaded some other way. */
    void clear() {
        valid = false;
    }

    private static boolean sameAsFloats(double[] d, float[] f) {
        return BatchNormR.VECTOR_API ? Lanes.sameAsFloats(d, f) : sameAsFloatsLoop(d, f);
    }

    /** The comparison without the Vector API. */
    static boolean sameAsFloatsLoop(double[] d, float[] f) {
        for (int i = 0; i < f.length; i++) {
            if ((float) d[i] != f[i]) return false;
        }
        return true;
    }

    /** The comparison on the Vector API: a vector of doubles narrowed to floats at a time. Loaded only with the module. */
    private static final class Lanes {
        private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
        /** As many floats as D has doubles (half the bits). Static final: constants, as C2 needs them. */
        private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

        static boolean sameAsFloats(double[] d, float[] f) {
            int n = f.length;
            int i = 0;
            for (; i <= n - D.length(); i += D.length()) {
                FloatVector narrowed = (FloatVector) DoubleVector.fromArray(D, d, i).convertShape(VectorOperators.D2F, F, 0);
                if (narrowed.compare(VectorOperators.NE, FloatVector.fromArray(F, f, i)).anyTrue()) return false;
            }
            for (; i < n; i++) {
                if ((float) d[i] != f[i]) return false;
            }
            return true;
        }
    }
}
