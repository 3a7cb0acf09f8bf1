package ai.metaspark.train;

/**
 * Training was asked to stop (SIGTERM or SIGINT: preemption, eviction, Ctrl-C) and did, at a segment boundary, after
 * writing a checkpoint of the step it reached; {@code --resume} continues from there with the same bits.
 */
public class StoppedException extends RuntimeException {
    public StoppedException(int step) {
        this("step", step);
    }

    /** Stopped after {@code at} {@code unit}s ("step", or "epoch" for the transfer baseline's classifier). */
    public StoppedException(String unit, int at) {
        super("interrupted at " + unit + " " + at + "; last checkpoint " + unit + " " + at + "; continue with --resume");
    }

    /** A stop described by {@code message} as it is (a sweep's). */
    protected StoppedException(String message) {
        super(message);
    }
}
