package ai.metaspark.train;

/**
 * How many meta-steps the next segment may run: a fixed number, or (auto) as many as fit in about twenty seconds at the
 * speed measured so far, starting from one step. Only the length of Spark jobs depends on it, never a result. Twenty
 * seconds keep a job's fixed cost (scheduling its two stages, fetching the start state: about 0.15-0.25 s in
 * local-cluster mode, docs/results.md) near 1% of its time, while a failed task re-runs at most that much work.
 */
final class SegmentLength {
    static final long TARGET_NANOS = 20_000_000_000L;
    private static final int MAX_AUTO = 10_000;
    private final int fixed;
    private int next = 1;

    /** @param fixed steps per segment, or 0 for auto */
    SegmentLength(int fixed) {
        this.fixed = fixed;
    }

    int next() {
        return fixed > 0 ? fixed : next;
    }

    /** Records that {@code steps} steps took {@code nanos}. */
    void observe(int steps, long nanos) {
        double perStep = Math.max(nanos, 1) / (double) steps;
        next = (int) Math.max(1, Math.min(MAX_AUTO, Math.min(2L * Math.max(next, steps), (long) (TARGET_NANOS / perStep))));
    }
}
