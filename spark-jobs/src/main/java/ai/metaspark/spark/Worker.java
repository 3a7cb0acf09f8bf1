package ai.metaspark.spark;

import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.algo.TaskOutcome;
import ai.metaspark.model.Learner;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.Experiment;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The executor side of a run: the broadcast experiment (deserialized once per JVM, so a dataset is loaded once per
 * JVM whatever the number of tasks and steps, and nothing is validated again) and one learner per task thread.
 */
final class Worker {
    /** Workers of the latest runs in this JVM, by run key; a JVM running many runs (a sweep) keeps only the latest. */
    private static final int KEPT = 8;
    private static final Map<String, Worker> BY_RUN = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Worker> eldest) {
            return size() > KEPT;
        }
    };
    private final Experiment experiment;
    private final ThreadLocal<Learner> learner;

    private Worker(Experiment experiment) {
        this.experiment = experiment;
        this.learner = ThreadLocal.withInitial(experiment.learners());
    }

    /**
     * The worker of the run {@code key} (unique per runner: broadcast ids restart with every SparkContext of a JVM),
     * built from the broadcast experiment at the first call in this JVM.
     */
    static Worker of(String key, Broadcast<Experiment> experiment) {
        synchronized (BY_RUN) {
            return BY_RUN.computeIfAbsent(key, k -> new Worker(experiment.value()));
        }
    }

    Experiment experiment() {
        return experiment;
    }

    /** The training tasks of {@code specs}, adapted in order (side by side where the algorithm and learner can). */
    List<TaskOutcome> adaptAll(double[] meta, List<TaskSpec> specs) {
        List<Task> tasks = new ArrayList<>(specs.size());
        for (TaskSpec spec : specs) tasks.add(experiment.trainTask(spec));
        return experiment.algorithm().adaptAll(learner.get(), meta, tasks);
    }

    TaskEvaluation evaluate(double[] meta, TaskSpec spec) {
        return experiment.evaluate(learner.get(), meta, spec);
    }
}
