package ai.metaspark.config;

/** A bad configuration value, key, file or argument. The message names the bad value and what was expected. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
