package ai.metaspark.train;

import ai.metaspark.algo.AlgorithmSpec;
import ai.metaspark.algo.MetaAlgorithm;
import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.eval.EvalPlan;
import ai.metaspark.eval.Evaluator;
import ai.metaspark.model.Learner;
import ai.metaspark.model.NetworkSpec;
import ai.metaspark.optim.OptimizerSpec;
import ai.metaspark.task.Seeds;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSampler;
import ai.metaspark.task.TaskSpec;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * One meta-learning experiment as typed values, validated once by the recipe layer ({@code ai.metaspark.recipe}):
 * everything the outer loop, the runners and the workers need, and nothing they must look up by key. Immutable and
 * serializable: built on the driver and shipped to executors as it is.
 *
 * @param family     the task distribution
 * @param network    the network over the flat parameter vector
 * @param spec       the algorithm and its options, as the recipe named them
 * @param algorithm  the algorithm built from {@code spec} for {@code network}
 * @param seed       the root seed: every random draw derives from (seed, step, task index)
 * @param episodes   examples per task
 * @param metaBatch  tasks per meta-step
 * @param optimizer  the outer optimizer
 * @param schedule   meta-steps and what happens on the way (logging, validation, early stopping, checkpoints)
 * @param evaluation how held-out tasks are meta-tested
 * @param backend    the gradient backend the network's learners use (auto, fast, dl4j)
 * @param execution  how the work is spread (threads, Spark tasks, steps per job), which changes no result
 * @param classifier the transfer baseline's classifier training (used by algorithm transfer only)
 */
public record Experiment(TaskFamily family, NetworkSpec network, AlgorithmSpec spec, MetaAlgorithm algorithm, long seed,
                         Episodes episodes, int metaBatch, OptimizerSpec optimizer, Schedule schedule,
                         EvalPlan evaluation, String backend, Execution execution, Classifier classifier)
        implements Serializable {
    private static final long INIT_STREAM = -1;

    /**
     * Examples per task.
     *
     * @param kShot  support examples per training and held-out task (classification: per class)
     * @param kQuery query examples per training task (classification: per class)
     */
    public record Episodes(int kShot, int kQuery) implements Serializable {
    }

    /**
     * The meta-steps and what happens on the way.
     *
     * @param metaSteps       outer steps
     * @param logEvery        steps between metrics lines
     * @param valEvery        meta-validation every this many steps (0: off)
     * @param valTasks        tasks per meta-validation
     * @param patience        early stopping after this many validations without improvement (0: off)
     * @param checkpointEvery steps between checkpoints (0: only the final one)
     */
    public record Schedule(int metaSteps, int logEvery, int valEvery, int valTasks, int patience, int checkpointEvery)
            implements Serializable {
    }

    /**
     * How the work is spread; no value changes a result.
     *
     * @param threads         in-process worker threads (0: one per core)
     * @param partitions      Spark tasks per meta-step (0: the cluster's default parallelism)
     * @param stepsPerJob     meta-steps per Spark job (0: auto; 1: one job per step, no barrier mode)
     * @param keepCheckpoints checkpoints kept in the run folder
     */
    public record Execution(int threads, int partitions, int stepsPerJob, int keepCheckpoints) implements Serializable {
    }

    /**
     * How the transfer baseline trains its classifier over every training class (its optimizer is {@link #optimizer}).
     *
     * @param epochs    passes over every training image
     * @param batchSize images per minibatch
     */
    public record Classifier(int epochs, int batchSize) implements Serializable {
    }

    /** This experiment with {@code other} in place of its algorithm (tests wrap the algorithm to inject faults). */
    public Experiment withAlgorithm(MetaAlgorithm other) {
        return new Experiment(family, network, spec, other, seed, episodes, metaBatch, optimizer, schedule, evaluation,
                backend, execution, classifier);
    }

    /** This experiment with {@code other} as its task family (tests narrow the data this way). */
    public Experiment withFamily(TaskFamily other) {
        return new Experiment(other, network, spec, algorithm, seed, episodes, metaBatch, optimizer, schedule, evaluation,
                backend, execution, classifier);
    }

    /** Whether tasks are classification (cross-entropy training, accuracy as the metric). */
    public boolean classification() {
        return network.classifier();
    }

    /** The meta-test metric: {@code accuracy} (higher is better) or {@code mse}. */
    public String metric() {
        return classification() ? "accuracy" : "mse";
    }

    /** The deterministic task sampler of the root seed. */
    public TaskSampler sampler() {
        return new TaskSampler(seed);
    }

    /** A training task: k_shot support and k_query query examples. */
    public Task trainTask(TaskSpec task) {
        return family.materialize(task, episodes.kShot(), episodes.kQuery());
    }

    /** A validation or test task: k_shot support and eval_query query examples. */
    public Task heldOutTask(TaskSpec task) {
        return family.materialize(task, episodes.kShot(), evaluation.evalQuery());
    }

    /** A factory of per-thread learners for the backend. */
    public Supplier<Learner> learners() {
        return network.learners(backend);
    }

    /** The starting meta-parameters, drawn from the root seed. */
    public double[] initialMeta() {
        return algorithm.initialize(network.initialParams(Seeds.derive(seed, INIT_STREAM)));
    }

    /** Meta-tests one held-out task as the plan says. */
    public TaskEvaluation evaluate(Learner learner, double[] meta, TaskSpec task) {
        return Evaluator.evaluate(algorithm, network, evaluation, learner, meta, heldOutTask(task));
    }
}
