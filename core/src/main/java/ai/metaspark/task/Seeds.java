package ai.metaspark.task;

/**
 * Seed derivation. Every random draw in MetaSpark starts from {@code derive(rootSeed, stream, step, index)}, so a task,
 * a retried Spark task or a resumed run sees the same numbers on any machine, whatever ran before.
 */
public final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A well-mixed 64-bit seed from an ordered list of parts (SplitMix64 finalizer over a running hash). */
    public static long derive(long... parts) {
        long h = GOLDEN;
        for (long p : parts) {
            h = mix(h ^ mix(p + GOLDEN));
        }
        return h;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
