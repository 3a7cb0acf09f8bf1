package ai.metaspark.task;

/**
 * A set of examples: {@code n} rows of {@code inDim} features and {@code outDim} targets, row-major.
 * Arrays are owned by the batch and never modified after construction.
 */
public record Batch(int n, int inDim, int outDim, double[] x, double[] y) {
    public Batch {
        if (x.length != n * inDim || y.length != n * outDim) {
            throw new IllegalArgumentException("batch of " + n + " rows: x has " + x.length + ", y has " + y.length + " values");
        }
    }

    /** This batch followed by {@code other}'s rows. */
    public Batch concat(Batch other) {
        double[] xs = new double[x.length + other.x.length];
        double[] ys = new double[y.length + other.y.length];
        System.arraycopy(x, 0, xs, 0, x.length);
        System.arraycopy(other.x, 0, xs, x.length, other.x.length);
        System.arraycopy(y, 0, ys, 0, y.length);
        System.arraycopy(other.y, 0, ys, y.length, other.y.length);
        return new Batch(n + other.n, inDim, outDim, xs, ys);
    }
}
