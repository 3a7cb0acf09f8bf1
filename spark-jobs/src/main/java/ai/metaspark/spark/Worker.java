package ai.metaspark.spark;

import ai.metaspark.config.RunConfig;
import ai.metaspark.eval.Evaluator;
import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.model.Learner;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.Experiment;
import ai.metaspark.algo.TaskOutcome;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor side of a run: the experiment built once per JVM from the broadcast configuration (so a dataset is
 * loaded once per JVM, whatever the number of tasks and steps) and one learner per task thread.
 */
final class Worker {
    private static final Map<String, Worker> BY_CONFIG = new ConcurrentHashMap<>();
    private final Experiment experiment;
    private final ThreadLocal<Learner> learner;

    private Worker(Experiment experiment) {
        this.experiment = experiment;
        this.learner = ThreadLocal.withInitial(experiment.learners());
    }

    /** The worker of a configuration, given as its YAML text; built at the first call in this JVM. */
    static Worker of(String configYaml) {
        return BY_CONFIG.computeIfAbsent(configYaml, y -> new Worker(Experiment.from(RunConfig.fromYaml(
                new ByteArrayInputStream(y.getBytes(StandardCharsets.UTF_8)), "the broadcast configuration", List.of()))));
    }

    Experiment experiment() {
        return experiment;
    }

    TaskOutcome adapt(double[] meta, TaskSpec spec) {
        return experiment.algorithm().adapt(learner.get(), meta, experiment.trainTask(spec));
    }

    TaskEvaluation evaluate(double[] meta, TaskSpec spec) {
        return Evaluator.evaluate(experiment, learner.get(), meta, experiment.heldOutTask(spec));
    }
}
