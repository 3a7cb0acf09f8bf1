package ai.metaspark.train;

import ai.metaspark.algo.Algorithms;
import ai.metaspark.algo.MetaAlgorithm;
import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.model.Activation;
import ai.metaspark.model.Learner;
import ai.metaspark.model.Learners;
import ai.metaspark.model.ModelSpec;
import ai.metaspark.task.Seeds;
import ai.metaspark.task.SinusoidFamily;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSampler;
import ai.metaspark.task.TaskSpec;

import java.io.Serializable;
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
    private final ModelSpec model;
    private final MetaAlgorithm algorithm;
    private final TaskSampler sampler;

    private Experiment(RunConfig config) {
        this.config = config;
        this.family = new SinusoidFamily();
        this.model = new ModelSpec(family.inputSize(), config.get(Keys.HIDDEN), family.outputSize(),
                Activation.valueOf(config.get(Keys.ACTIVATION).toUpperCase(Locale.ROOT)));
        this.algorithm = Algorithms.fromConfig(config);
        this.sampler = new TaskSampler(config.get(Keys.SEED));
    }

    public static Experiment from(RunConfig config) {
        return new Experiment(config);
    }

    public RunConfig config() { return config; }
    public ModelSpec model() { return model; }
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
        return Learners.factory(model, config.get(Keys.BACKEND));
    }

    /** The starting meta-parameters, drawn from the root seed. */
    public double[] initialMeta() {
        return algorithm.initialize(model.initialParams(Seeds.derive(config.get(Keys.SEED), INIT_STREAM)));
    }

    /** The inner steps whose query loss is reported as the post-adaptation result. */
    public int postStep() {
        return config.getInt(Keys.INNER_STEPS);
    }

    /** Length of the adaptation curve minus one: max(eval_steps, inner_steps). */
    public int curveSteps() {
        return Math.max(config.getInt(Keys.EVAL_STEPS), postStep());
    }
}
