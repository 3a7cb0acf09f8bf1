package ai.metaspark.recipe;

import ai.metaspark.config.ConfigKey;
import ai.metaspark.task.TaskFamily;

import java.util.Optional;
import java.util.Set;

/**
 * A task family as recipes name it: the value of the {@code task} key, and how its settings become a
 * {@link TaskFamily}. Implementations register with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/ai.metaspark.recipe.TaskFamilyProvider}), so a new family is new files: its
 * {@code TaskFamily}, its provider and the registration, and no change to training, evaluation or the algorithms.
 * A provider sees the configuration only through {@link FamilyKeys}: the keys it declares in {@link #keys()}.
 */
public interface TaskFamilyProvider {
    /** The {@code task} value that names the family (lower case, unique among the registered families). */
    String name();

    /** The keys {@link #family} and {@link #dataLocation} read (data location, classes per task...); no others. */
    Set<ConfigKey<?>> keys();

    /**
     * The family {@code keys} describe, reading only the keys of the family (see {@link #keys()}).
     * Reads no data: the recipe layer checks that the tasks can be drawn. Bad values raise
     * {@link ai.metaspark.config.ConfigException} or {@link ai.metaspark.data.DataException} naming them.
     */
    TaskFamily family(FamilyKeys keys);

    /** The network {@code model: auto} means for this family (a value of the {@code model} key). */
    String defaultModel();

    /** The data folder the family reads, resolved (checksummed into each checkpoint's provenance); empty for generated tasks. */
    Optional<String> dataLocation(FamilyKeys keys);
}
