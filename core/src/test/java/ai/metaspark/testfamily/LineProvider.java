package ai.metaspark.testfamily;

import ai.metaspark.config.RunConfig;
import ai.metaspark.recipe.TaskFamilyProvider;
import ai.metaspark.task.TaskFamily;

import java.util.Optional;

/** {@code task: line}, registered by the test tree's own {@code META-INF/services} file. */
public final class LineProvider implements TaskFamilyProvider {
    @Override
    public String name() {
        return "line";
    }

    @Override
    public TaskFamily family(RunConfig config) {
        return new LineFamily();
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
