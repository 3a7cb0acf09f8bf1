package ai.metaspark.recipe;

import ai.metaspark.config.ConfigKey;
import ai.metaspark.task.TaskFamily;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The provider of a family that generates its tasks (no data to read, no keys of its own) and is learned by the MLP:
 * a subclass names the family and how to make it, in its no-argument constructor (as {@link java.util.ServiceLoader}
 * needs).
 */
public abstract class GeneratedFamilyProvider implements TaskFamilyProvider {
    private final String name;
    private final Supplier<TaskFamily> family;

    protected GeneratedFamilyProvider(String name, Supplier<TaskFamily> family) {
        this.name = name;
        this.family = family;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<ConfigKey<?>> keys() {
        return Set.of();
    }

    @Override
    public final TaskFamily family(FamilyKeys keys) {
        return family.get();
    }

    @Override
    public final String defaultModel() {
        return "mlp";
    }

    @Override
    public final Optional<String> dataLocation(FamilyKeys keys) {
        return Optional.empty();
    }
}
