package ai.metaspark.recipe;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.io.Files;
import ai.metaspark.model.Activation;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.Dl4jModels;
import ai.metaspark.model.MlpModel;
import ai.metaspark.model.NetworkSpec;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.task.ImageShape;
import ai.metaspark.task.TaskFamily;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.util.ModelSerializer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** The network a recipe's {@code model} names, checked against the task family it must fit. */
final class Networks {
    private Networks() {
    }

    /** The network {@code model} (already resolved from auto) for tasks of {@code family}, named {@code task}. */
    static NetworkSpec of(String model, TaskFamily family, String task, RunConfig c) {
        if (model.equals("mlp")) {
            if (!c.get(Keys.INIT_FROM).isEmpty()) {
                throw new ConfigException("init_from starts a Conv-4 body from a transfer run; model mlp has none");
            }
            return new MlpModel(family.inputSize(), c.get(Keys.HIDDEN), family.outputSize(),
                    Activation.valueOf(c.get(Keys.ACTIVATION).toUpperCase(Locale.ROOT)), family.classification());
        }
        if (!family.classification()) {
            throw new ConfigException("model " + model + " classifies images; task " + task + " needs model mlp");
        }
        Conv4Spec conv = conv4(model, family, task);
        if (conv.inputSize() != family.inputSize()) {
            throw new ConfigException("model " + model + " takes " + conv.imageSize() + "x" + conv.imageSize() + "x"
                    + conv.channels() + " images (" + conv.inputSize() + " inputs); task " + task + " has "
                    + family.inputSize() + " inputs per example");
        }
        String from = c.get(Keys.INIT_FROM);
        return new Conv4Model(conv, family.outputSize(), from.isEmpty() ? null : trainedBody(from, conv, model));
    }

    /** The papers' Conv-4 (64 filters, 4 blocks) over the family's images. */
    private static Conv4Spec conv4(String model, TaskFamily family, String task) {
        ImageShape image = family.imageShape().orElseThrow(() -> new ConfigException(
                "model " + model + " reads images; the examples of task " + task + " are not images (use model mlp)"));
        Conv4Spec.Variant variant = model.equals("conv4-strided") ? Conv4Spec.Variant.STRIDED : Conv4Spec.Variant.POOL;
        try {
            return new Conv4Spec(image.side(), image.channels(), 64, 4, variant);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("image_size " + image.side() + " is too small for model " + model + ": "
                    + e.getMessage() + " (4 max-pool blocks need at least 16)");
        }
    }

    /** The conv parameters of the classifier in the transfer run folder {@code run} ({@code init_from}). */
    private static double[] trainedBody(String run, Conv4Spec conv, String model) {
        Path zip = new Path(run, "model.zip"); // a run folder, like --out and --run: relative to the working directory
        FileSystem fs = Files.fileSystem(run);
        try (InputStream in = fs.open(zip)) {
            return Dl4jModels.conv4Body(ModelSerializer.restoreMultiLayerNetwork(in, false), conv);
        } catch (FileNotFoundException e) {
            throw new ConfigException("init_from " + run + ": no " + zip + " (a finished transfer run folder is needed)");
        } catch (IOException e) {
            throw new ConfigException("init_from " + run + ": cannot read " + zip + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("init_from " + run + ": its network does not fit model " + model + ": " + e.getMessage());
        }
    }
}
