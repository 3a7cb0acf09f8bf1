package ai.metaspark.recipe;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.model.Activation;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.MlpModel;
import ai.metaspark.model.NetworkSpec;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.task.TaskFamily;

import java.util.Locale;

/** The network a recipe's {@code model} names, checked against the task family it must fit. */
final class Networks {
    private Networks() {
    }

    /** The network {@code model} (already resolved from auto) for tasks of {@code family}, named {@code task}. */
    static NetworkSpec of(String model, TaskFamily family, String task, RunConfig c) {
        if (model.equals("mlp")) {
            if (family.classification()) {
                throw new ConfigException("model mlp is a regression network (MSE); task " + task
                        + " needs model conv4 or conv4-strided");
            }
            return new MlpModel(family.inputSize(), c.get(Keys.HIDDEN), family.outputSize(),
                    Activation.valueOf(c.get(Keys.ACTIVATION).toUpperCase(Locale.ROOT)));
        }
        if (!family.classification()) {
            throw new ConfigException("model " + model + " classifies images; task " + task + " needs model mlp");
        }
        Conv4Spec conv = Conv4Spec.omniglot(model.equals("conv4-strided") ? Conv4Spec.Variant.STRIDED : Conv4Spec.Variant.POOL);
        if (conv.inputSize() != family.inputSize()) {
            throw new ConfigException("model " + model + " takes " + conv.imageSize() + "x" + conv.imageSize() + "x"
                    + conv.channels() + " images (" + conv.inputSize() + " inputs); task " + task + " has "
                    + family.inputSize() + " inputs per example");
        }
        return new Conv4Model(conv, family.outputSize());
    }
}
