package ai.metaspark.data.omniglot;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.data.DataLocation;
import ai.metaspark.recipe.TaskFamilyProvider;
import ai.metaspark.task.TaskFamily;

import java.util.Optional;

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
    public TaskFamily family(RunConfig config) {
        int nWay = config.getInt(Keys.N_WAY);
        int trainNWay = config.getInt(Keys.TRAIN_N_WAY);
        return new OmniglotFamily(DataLocation.resolve(config.get(Keys.DATA)), Protocol.of(config.get(Keys.PROTOCOL)),
                trainNWay == 0 ? nWay : trainNWay, nWay);
    }

    @Override
    public String defaultModel() {
        return "conv4";
    }

    @Override
    public Optional<String> dataLocation(RunConfig config) {
        return Optional.of(DataLocation.resolve(config.get(Keys.DATA)));
    }
}
