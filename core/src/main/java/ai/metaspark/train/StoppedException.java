package ai.metaspark.train;

/**
 * Training was asked to stop (SIGTERM or SIGINT: preemption, eviction, Ctrl-C) and did, at a segment boundary, after
 * writing a checkpoint of the step it reached; {@code --resume} continues from there with the same bits.
 */
public class StoppedException extends RuntimeException {
    public StoppedException(int step) {
        super("interrupted at step " + step + "; last checkpoint step " + step + "; continue with --resume");
    }
}
