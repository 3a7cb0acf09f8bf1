package ai.metaspark.sweep;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of the search space.
 *
 * @param id     the trial id (0, 1, ...): its values and seed derive from the sweep seed and this id
 * @param values the swept keys' values, as {@code --set} would give them
 * @param seed   the trial recipe's {@code seed}
 */
public record Trial(int id, Map<String, String> values, long seed) implements Serializable {
    public Trial {
        values = new LinkedHashMap<>(values);
    }

    /** The folder name of this trial under the sweep's {@code trials/}. */
    public String name() {
        return String.format("t%04d", id);
    }
}
