package ai.metaspark.algo;

/**
 * Per-thread work arrays of the algorithms, reused from task to task: a meta-step of an Omniglot Conv-4 MAML would
 * otherwise allocate (and the JVM zero) megabytes per task. An array from {@link #of} is valid until the same thread
 * asks for the same slot again; never return one to a caller.
 */
final class Scratch {
    private static final int SLOTS = 2;
    private static final ThreadLocal<double[][]> ARRAYS = ThreadLocal.withInitial(() -> new double[SLOTS][]);

    private Scratch() {
    }

    /** This thread's work array of {@code slot} with {@code length} entries (its contents are left over). */
    static double[] of(int slot, int length) {
        double[][] arrays = ARRAYS.get();
        double[] a = arrays[slot];
        if (a == null || a.length != length) arrays[slot] = a = new double[length];
        return a;
    }
}
