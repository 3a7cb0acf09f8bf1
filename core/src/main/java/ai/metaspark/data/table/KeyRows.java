package ai.metaspark.data.table;

/**
 * The rows of one key: {@code n} rows of {@code x.length / n} raw (not yet standardized) features, row-major, and
 * their labels.
 */
public record KeyRows(String key, int n, double[] x, double[] y) {
    public KeyRows {
        if (y.length != n || (n > 0 && x.length % n != 0)) {
            throw new IllegalArgumentException("key " + key + ": " + n + " rows, " + x.length + " features, " + y.length + " labels");
        }
    }

    /** The distinct labels, sorted (the classes of a classification key). */
    public double[] labels() {
        return java.util.Arrays.stream(y).distinct().sorted().toArray();
    }
}
