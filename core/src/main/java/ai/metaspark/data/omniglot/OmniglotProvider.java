package ai.metaspark.data.omniglot;

import ai.metaspark.config.ConfigKey;
import ai.metaspark.config.Keys;
import ai.metaspark.data.DataLocation;
import ai.metaspark.recipe.FamilyKeys;
import ai.metaspark.recipe.TaskFamilyProvider;
import ai.metaspark.task.TaskFamily;

import java.util.Optional;
import java.util.Set;

/**
 * {@code task: omniglot}: N-way ({@code n_way}; meta-training {@code train_n_way}-way when set) Omniglot tasks from
 * the folder {@code data} (resolved by {@link DataLocation}), split by {@code protocol}.
 */
public final class OmniglotProvider implements TaskFamilyProvider {
    @Override
    public String name() {
        return "omniglot";
    }

    @Override
    public Set<ConfigKey<?>> keys() {
        return Set.of(Keys.DATA, Keys.PROTOCOL, Keys.N_WAY, Keys.TRAIN_N_WAY);
    }

    @Override
    public TaskFamily family(FamilyKeys keys) {
        int nWay = keys.getInt(Keys.N_WAY);
        int trainNWay = keys.getInt(Keys.TRAIN_N_WAY);
        return new OmniglotFamily(DataLocation.resolve(keys.get(Keys.DATA)), Protocol.of(keys.get(Keys.PROTOCOL)),
                trainNWay == 0 ? nWay : trainNWay, nWay);
    }

    @Override
    public String defaultModel() {
        return "conv4";
    }

    @Override
    public Optional<String> dataLocation(FamilyKeys keys) {
        return Optional.of(DataLocation.resolve(keys.get(Keys.DATA)));
    }
}
