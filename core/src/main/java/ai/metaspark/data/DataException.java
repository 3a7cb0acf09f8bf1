package ai.metaspark.data;

/**
 * Missing, corrupt or invalid data: a data folder or file that is not there or cannot be read, content that does not
 * have the expected layout, or a request the data cannot satisfy. The message names the bad path or value and what
 * was expected.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
