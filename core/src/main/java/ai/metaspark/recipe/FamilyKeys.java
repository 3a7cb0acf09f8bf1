package ai.metaspark.recipe;

import ai.metaspark.config.ConfigKey;
import ai.metaspark.config.RunConfig;

import java.util.Set;

/**
 * The settings a task family reads: the resolved configuration, seen only through the keys its provider declares
 * ({@link TaskFamilyProvider#keys()}). A provider that reads a key it did not declare gets an
 * {@link IllegalStateException} naming both, the first time it runs: a plug-in's keys are its declared ones, and no
 * family reads the algorithm's or the schedule's settings.
 */
public final class FamilyKeys {
    private final String family;
    private final Set<ConfigKey<?>> declared;
    private final RunConfig config;

    FamilyKeys(TaskFamilyProvider provider, RunConfig config) {
        this.family = provider.name();
        this.declared = provider.keys();
        this.config = config;
    }

    public <T> T get(ConfigKey<T> key) {
        return config.get(declared(key));
    }

    public int getInt(ConfigKey<Integer> key) {
        return config.getInt(declared(key));
    }

    public boolean isOn(ConfigKey<String> flag) {
        return config.isOn(declared(flag));
    }

    private <K extends ConfigKey<?>> K declared(K key) {
        if (!declared.contains(key)) {
            throw new IllegalStateException("task family '" + family + "' reads key '" + key.name()
                    + "', which its provider does not declare in keys()");
        }
        return key;
    }
}
