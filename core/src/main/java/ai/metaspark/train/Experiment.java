package ai.metaspark.train;

import ai.metaspark.algo.Algorithms;
import ai.metaspark.algo.MetaAlgorithm;
import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.config.ConfigException;
import ai.metaspark.config.ConfigKey;
import ai.metaspark.data.DataException;
import ai.metaspark.data.omniglot.OmniglotFamily;
import ai.metaspark.data.omniglot.Protocol;
import ai.metaspark.model.Activation;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.Learner;
import ai.metaspark.model.ModelSpec;
import ai.metaspark.model.NetworkSpec;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.task.Split;
import ai.metaspark.task.Seeds;
import ai.metaspark.task.SinusoidFamily;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSampler;
import ai.metaspark.task.TaskSpec;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Everything a worker needs to run tasks of one configuration: task family, model, algorithm, sampler and sizes.
 * Immutable and serializable; built once on the driver and shipped to executors.
 */
public final class Experiment implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long INIT_STREAM = -1;
    private final RunConfig config;
    private final TaskFamily family;
    private final NetworkSpec model;
    private final MetaAlgorithm algorithm;
    private final TaskSampler sampler;

    private Experiment(RunConfig config) {
        this.config = config;
        String task = config.get(Keys.TASK);
        String modelName = config.get(Keys.MODEL);
        if (modelName.equals("auto")) modelName = task.equals("omniglot") ? "conv4" : "mlp";
        String algo = config.get(Keys.ALGORITHM);
        if (task.equals("omniglot") && modelName.equals("mlp")) {
            throw new ConfigException("model mlp is a regression network (MSE); task omniglot needs model conv4 or conv4-strided");
        }
        if (task.equals("sinusoid") && !modelName.equals("mlp")) {
            throw new ConfigException("model " + modelName + " classifies images; task sinusoid needs model mlp");
        }
        if ((algo.equals("protonet") || algo.equals("anil")) && modelName.equals("mlp")) {
            throw new ConfigException("algorithm " + algo + " needs a conv4 or conv4-strided model (task omniglot)");
        }
        checkMamlPlusPlus(config, algo, modelName);
        if (task.equals("omniglot")) {
            String location = resolveData(config.get(Keys.DATA));
            this.family = new OmniglotFamily(location, Protocol.of(config.get(Keys.PROTOCOL)), config.getInt(Keys.N_WAY));
            this.model = new Conv4Model(Conv4Spec.omniglot(modelName.equals("conv4-strided")
                    ? Conv4Spec.Variant.STRIDED : Conv4Spec.Variant.POOL), config.getInt(Keys.N_WAY));
        } else {
            this.family = new SinusoidFamily();
            this.model = new ModelSpec(family.inputSize(), config.get(Keys.HIDDEN), family.outputSize(),
                    Activation.valueOf(config.get(Keys.ACTIVATION).toUpperCase(Locale.ROOT)));
        }
        this.algorithm = Algorithms.of(new ai.metaspark.algo.AlgorithmSpec(algo, config.getInt(Keys.INNER_STEPS),
                config.getDouble(Keys.INNER_LR), config.isOn(Keys.MSL), config.getInt(Keys.MSL_ANNEAL_STEPS),
                config.getInt(Keys.FIRST_ORDER_STEPS), config.isOn(Keys.LSLR), config.isOn(Keys.PER_STEP_BN)), model);
        this.sampler = new TaskSampler(config.get(Keys.SEED));
        if (task.equals("omniglot")) checkData();
    }

    /** The MAML++ options that add meta-parameters apply to maml and fomaml; per-step batch norm needs batch norm. */
    private static void checkMamlPlusPlus(RunConfig config, String algo, String modelName) {
        boolean maml = algo.equals("maml") || algo.equals("fomaml");
        for (ConfigKey<String> key : List.of(Keys.LSLR, Keys.PER_STEP_BN)) {
            if (config.isOn(key) && !maml) {
                throw new ConfigException(key.name() + ": true applies to algorithm maml or fomaml, not " + algo);
            }
        }
        if (config.isOn(Keys.PER_STEP_BN) && modelName.equals("mlp")) {
            throw new ConfigException("per_step_bn: true needs batch norm (model conv4 or conv4-strided), not model mlp");
        }
    }

    /**
     * Materializes one task of each split a run uses, so that a missing or corrupt folder, too many classes or too
     * many drawings fail here, on the driver, with the data's own message ({@link DataException}, exit code 3).
     */
    private void checkData() {
        trainTask(sampler.metaBatch(0, 1).get(0));
        if (config.getInt(Keys.VAL_EVERY) > 0) heldOutTask(sampler.heldOut(Split.VALIDATION, 1).get(0));
        heldOutTask(sampler.heldOut(Split.TEST, 1).get(0));
    }

    /**
     * The Omniglot location of a {@code data} value: a URI with a scheme ({@code file:}, {@code hdfs:}...) or an
     * absolute path as it is; a relative path against the project root: {@code $METASPARK_HOME} (bin/metaspark exports
     * it), else the system property {@code metaspark.home}, else the nearest folder at or above the working directory
     * holding {@code bin/metaspark}, else the working directory.
     */
    public static String resolveData(String data) {
        if (data.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) return data;
        Path p = Paths.get(data);
        if (p.isAbsolute()) return p.normalize().toString();
        return projectRoot().resolve(p).toAbsolutePath().normalize().toString();
    }

    /** See {@link #resolveData}. */
    public static Path projectRoot() {
        String home = System.getenv("METASPARK_HOME");
        if (home == null || home.isBlank()) home = System.getProperty("metaspark.home");
        if (home != null && !home.isBlank()) return Paths.get(home);
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path d = cwd; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bin").resolve("metaspark"))) return d;
        }
        return cwd;
    }

    public static Experiment from(RunConfig config) {
        return new Experiment(config);
    }

    public RunConfig config() { return config; }
    public NetworkSpec model() { return model; }

    /** Whether tasks are classification (cross-entropy training, accuracy as the metric). */
    public boolean classification() { return model.classifier(); }

    /** The meta-test metric: {@code accuracy} (higher is better) or {@code mse}. */
    public String metric() { return classification() ? "accuracy" : "mse"; }
    public MetaAlgorithm algorithm() { return algorithm; }
    public TaskSampler sampler() { return sampler; }

    /** A training task: k_shot support and k_query query examples. */
    public Task trainTask(TaskSpec spec) {
        return family.materialize(spec, config.getInt(Keys.K_SHOT), config.getInt(Keys.K_QUERY));
    }

    /** A validation or test task: k_shot support and eval_query query examples. */
    public Task heldOutTask(TaskSpec spec) {
        return family.materialize(spec, config.getInt(Keys.K_SHOT), config.getInt(Keys.EVAL_QUERY));
    }

    /** A factory of per-thread learners for the configured backend. */
    public Supplier<Learner> learners() {
        return model.learners(config.get(Keys.BACKEND));
    }

    /** The starting meta-parameters, drawn from the root seed. */
    public double[] initialMeta() {
        return algorithm.initialize(model.initialParams(Seeds.derive(config.get(Keys.SEED), INIT_STREAM)));
    }

    /**
     * The inner steps whose query loss (accuracy) is reported as the post-adaptation result: eval_inner_steps, or
     * inner_steps when that is 0; 0 for Prototypical Networks (no inner loop: adapting is computing the prototypes).
     */
    public int postStep() {
        if (config.get(Keys.ALGORITHM).equals("protonet")) return 0;
        int e = config.getInt(Keys.EVAL_INNER_STEPS);
        return e > 0 ? e : config.getInt(Keys.INNER_STEPS);
    }

    /** Length of the adaptation curve minus one: max(eval_steps, post step); 0 for Prototypical Networks. */
    public int curveSteps() {
        if (config.get(Keys.ALGORITHM).equals("protonet")) return 0;
        return Math.max(config.getInt(Keys.EVAL_STEPS), postStep());
    }
}
