package ai.metaspark.testfamily;

import ai.metaspark.recipe.GeneratedFamilyProvider;

/** {@code task: line}, registered by the test tree's own {@code META-INF/services} file. */
public final class LineProvider extends GeneratedFamilyProvider {
    public LineProvider() {
        super("line", LineFamily::new);
    }
}
