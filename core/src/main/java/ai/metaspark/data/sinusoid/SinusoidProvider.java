package ai.metaspark.data.sinusoid;

import ai.metaspark.config.RunConfig;
import ai.metaspark.recipe.TaskFamilyProvider;
import ai.metaspark.task.TaskFamily;

import java.util.Optional;

/** {@code task: sinusoid}: the generated regression tasks of {@link SinusoidFamily}, which read no keys and no data. */
public final class SinusoidProvider implements TaskFamilyProvider {
    @Override
    public String name() {
        return "sinusoid";
    }

    @Override
    public TaskFamily family(RunConfig config) {
        return new SinusoidFamily();
    }

    @Override
    public String defaultModel() {
        return "mlp";
    }

    @Override
    public Optional<String> dataLocation(RunConfig config) {
        return Optional.empty();
    }
}
