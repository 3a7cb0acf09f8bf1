package ai.metaspark.cli;

/** Process exit codes of bin/metaspark, documented in README.md. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad configuration, arguments or output path (also picocli's usage errors). */
    public static final int BAD_CONFIG = 2;
    /** Input data missing or unreadable. */
    public static final int DATA_MISSING = 3;
    /** Training produced non-finite losses or gradients. */
    public static final int DIVERGED = 4;
    /** The environment failed: BLAS self-check, cluster, file system. */
    public static final int INFRASTRUCTURE = 5;
    /** Stopped by SIGTERM or SIGINT after checkpointing the step reached; {@code --resume} continues it. */
    public static final int STOPPED = 6;

    private ExitCodes() {
    }
}
