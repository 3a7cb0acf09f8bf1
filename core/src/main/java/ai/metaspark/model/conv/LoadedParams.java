package ai.metaspark.model.conv;

/**
 * The conv parameters a network loaded last, as the doubles it was given: a pass at the same values needs no reload
 * (oneDNN: no weight reorders; ND4J: no new arrays). Every {@link Conv4Passes} keeps one.
 */
final class LoadedParams {
    private final double[] values;
    private boolean valid;

    LoadedParams(Conv4Spec spec) {
        values = new double[spec.numParams()];
    }

    /** Whether the first {@link Conv4Spec#numParams()} entries of {@code params} are the values loaded last. */
    boolean holds(double[] params) {
        int n = values.length;
        return valid && params.length >= n && java.util.Arrays.equals(params, 0, n, values, 0, n);
    }

    /** Records {@code params} (its first {@link Conv4Spec#numParams()} entries) as loaded. */
    void set(double[] params) {
        System.arraycopy(params, 0, values, 0, values.length);
        valid = true;
    }

    /** Forgets them: parameters were loaded some other way. */
    void clear() {
        valid = false;
    }
}
