package ai.metaspark.algo;

/**
 * Per-thread work arrays of the algorithms, reused from task to task: a meta-step of an Omniglot Conv-4 MAML would
 * otherwise allocate (and the JVM zero) megabytes per task. An array from {@link #of} is valid until the same thread
 * asks for the same slot again; never return one to a caller.
 */
final class Scratch {
    /** The first slot of the inner loop's parameters: {@code INNER + j} holds {@code p_j+1} ({@link Maml}). */
    static final int INNER = 2;
    /** No slot: callers that take a slot or a new array pass it for a new array. */
    static final int NONE = -1;
    private static final ThreadLocal<double[][]> ARRAYS = ThreadLocal.withInitial(() -> new double[INNER][]);

    private Scratch() {
    }

    /** This thread's work array of {@code slot} with {@code length} entries (its contents are left over). */
    static double[] of(int slot, int length) {
        double[][] arrays = ARRAYS.get();
        if (slot >= arrays.length) ARRAYS.set(arrays = java.util.Arrays.copyOf(arrays, slot + 1));
        double[] a = arrays[slot];
        if (a == null || a.length != length) arrays[slot] = a = new double[length];
        return a;
    }
}
