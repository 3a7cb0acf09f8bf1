package ai.metaspark.data.sinusoid;

import ai.metaspark.recipe.GeneratedFamilyProvider;

/** {@code task: sinusoid}: the generated regression tasks of {@link SinusoidFamily}, which read no keys and no data. */
public final class SinusoidProvider extends GeneratedFamilyProvider {
    public SinusoidProvider() {
        super("sinusoid", SinusoidFamily::new);
    }
}
