package ai.metaspark.train;

/** Training produced a non-finite loss or gradient. */
public class DivergedException extends RuntimeException {
    public DivergedException(String message, Throwable cause) {
        super(message, cause);
    }
}
