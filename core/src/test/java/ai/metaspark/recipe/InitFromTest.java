package ai.metaspark.recipe;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.data.DataLocation;
import ai.metaspark.data.omniglot.OmniglotTestData;
import ai.metaspark.model.Dl4jModels;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.train.Experiment;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code init_from}: a transfer run's classifier body starts a meta-learner; its head starts fresh. */
class InitFromTest {
    private static final Conv4Spec STRIDED = Conv4Spec.omniglot(Conv4Spec.Variant.STRIDED);

    @TempDir
    Path tmp;

    private static Recipe maml(String... more) {
        OmniglotTestData.requirePresent(Path.of(DataLocation.resolve(RunConfig.defaults().get(Keys.DATA))));
        return Recipe.of(RunConfig.defaults().with("task=omniglot", "protocol=maml", "n_way=5", "k_shot=1", "k_query=1",
                "eval_query=1", "model=conv4-strided", "algorithm=maml", "inner_lr=0.4").with(more));
    }

    /** A run folder holding a classifier's model.zip, as a transfer run leaves it. */
    private Path transferRun(MultiLayerNetwork net) throws IOException {
        Path run = Files.createDirectories(tmp.resolve("transfer"));
        try (OutputStream out = Files.newOutputStream(run.resolve("model.zip"))) {
            Dl4jModels.save(net, out);
        }
        return run;
    }

    @Test
    void theClassifiersBodyStartsTheNetworkAndTheHeadStartsFresh() throws IOException {
        MultiLayerNetwork net = Dl4jModels.conv4Classifier(STRIDED, 30, 5, new Sgd(0));
        Path run = transferRun(net);
        double[] fresh = maml().experiment().initialMeta();
        Experiment e = maml("init_from=" + run).experiment();
        double[] start = e.initialMeta();
        for (int k = 0; k < STRIDED.blocks(); k++) {
            assertArrayEquals(net.getLayer(3 * k).getParam("W").castTo(DataType.DOUBLE).data().asDouble(),
                    Arrays.copyOfRange(start, STRIDED.weightOffset(k), STRIDED.gammaOffset(k)), "block " + k + " weights");
            assertArrayEquals(net.getLayer(3 * k + 1).getParam("gamma").castTo(DataType.DOUBLE).data().asDouble(),
                    Arrays.copyOfRange(start, STRIDED.gammaOffset(k), STRIDED.betaOffset(k)), "block " + k + " gamma");
        }
        int head = STRIDED.numParams();
        assertArrayEquals(Arrays.copyOfRange(fresh, head, fresh.length), Arrays.copyOfRange(start, head, start.length));
        assertFalse(Arrays.equals(Arrays.copyOf(fresh, head), Arrays.copyOf(start, head)));
    }

    @Test
    void aMissingRunOrAnotherNetworkIsRefusedByName() throws IOException {
        Path run = transferRun(Dl4jModels.conv4Classifier(STRIDED, 30, 5, new Sgd(0)));
        ConfigException pool = assertThrows(ConfigException.class, () -> maml("init_from=" + run, "model=conv4").experiment());
        assertTrue(pool.getMessage().contains("does not fit model conv4"), pool.getMessage());
        Path none = tmp.resolve("none");
        ConfigException missing = assertThrows(ConfigException.class, () -> maml("init_from=" + none).experiment());
        assertTrue(missing.getMessage().contains("model.zip") && missing.getMessage().contains(none.toString()), missing.getMessage());
        ConfigException transfer = assertThrows(ConfigException.class,
                () -> maml("init_from=" + run, "algorithm=transfer").experiment());
        assertTrue(transfer.getMessage().contains("algorithm transfer"), transfer.getMessage());
    }
}
