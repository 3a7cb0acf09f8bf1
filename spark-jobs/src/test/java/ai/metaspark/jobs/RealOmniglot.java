package ai.metaspark.jobs;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.data.DataLocation;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real Omniglot data of the default recipes, for tests that need it. */
public final class RealOmniglot {
    private RealOmniglot() {
    }

    /** Skips the calling test when the data is missing, except under {@code CI=true}, where it fails. */
    public static void assume() {
        Path data = Path.of(DataLocation.resolve(RunConfig.defaults().get(Keys.DATA)));
        boolean present = Files.exists(data.resolve("images_background.zip"));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) { // CI has the data: a missing folder fails the run
            throw new AssertionError("Omniglot data not found at " + data + "; CI=true requires it");
        }
        Assumptions.assumeTrue(present, "no Omniglot data at " + data);
    }
}
