package ai.metaspark.cli;

import ai.metaspark.jobs.RealOmniglot;
import ai.metaspark.train.Experiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/metaspark train on Omniglot refuses bad data with exit code 3 and a message naming the problem. */
class OmniglotCliTest {
    @TempDir
    Path tmp;

    private CliTest.Result train(String... sets) throws IOException {
        Path recipe = tmp.resolve("recipe.yaml");
        Files.writeString(recipe, "task: omniglot\nalgorithm: protonet\nmeta_steps: 2\nmeta_batch: 1\nseed: 1\neval_tasks: 2\n"
                + "k_shot: 1\nk_query: 5\neval_query: 5\n");
        String[] args = new String[4 + 2 * sets.length];
        args[0] = "train";
        args[1] = "--config";
        args[2] = recipe.toString();
        args[3] = "--out=" + tmp.resolve("run");
        for (int i = 0; i < sets.length; i++) {
            args[4 + 2 * i] = "--set";
            args[5 + 2 * i] = sets[i];
        }
        return CliTest.cli(args);
    }

    @Test
    void aMissingFolderIsExitCode3NamingTheAbsolutePath() throws IOException {
        Path missing = tmp.resolve("no-such-omniglot");
        CliTest.Result r = train("data=" + missing);
        assertEquals(ExitCodes.DATA_MISSING, r.code(), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
        assertFalse(Files.exists(tmp.resolve("run").resolve("eval.json")));
    }

    @Test
    void aFolderThatIsNotOmniglotIsExitCode3() throws IOException {
        Path notOmniglot = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(notOmniglot.resolve("images_background.zip"), "not a zip");
        CliTest.Result r = train("data=" + notOmniglot);
        assertEquals(ExitCodes.DATA_MISSING, r.code(), r.err());
    }

    @Test
    void tooManyClassesOrDrawingsAreExitCode3() throws IOException {
        RealOmniglot.assume();
        CliTest.Result ways = train("n_way=5000");
        assertEquals(ExitCodes.DATA_MISSING, ways.code(), ways.err());
        assertTrue(ways.err().contains("n_way 5000"), ways.err());
        CliTest.Result draws = train("k_shot=10", "k_query=15");
        assertEquals(ExitCodes.DATA_MISSING, draws.code(), draws.err());
        assertTrue(draws.err().contains("K + Q"), draws.err());
    }

    @Test
    void aRegressionMlpOnOmniglotIsABadConfig() throws IOException {
        CliTest.Result r = train("model=mlp");
        assertEquals(ExitCodes.BAD_CONFIG, r.code(), r.err());
        assertTrue(r.err().contains("conv4"), r.err());
    }
}
