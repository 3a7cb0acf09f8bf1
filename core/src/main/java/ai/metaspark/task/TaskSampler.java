package ai.metaspark.task;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic task sampling: the spec of task {@code index} at meta-step {@code step} of a split depends only on
 * (root seed, split, step, index), so any machine, thread or retry draws the same task.
 */
public final class TaskSampler implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long rootSeed;

    public TaskSampler(long rootSeed) {
        this.rootSeed = rootSeed;
    }

    public TaskSpec spec(Split split, long step, int index) {
        return new TaskSpec(split, step, index, Seeds.derive(rootSeed, split.ordinal(), step, index));
    }

    /** The meta-batch of training step {@code step}. */
    public List<TaskSpec> metaBatch(long step, int size) {
        return range(Split.TRAIN, step, size);
    }

    /** A fixed set of held-out tasks (the same at every call): validation or test. */
    public List<TaskSpec> heldOut(Split split, int count) {
        return range(split, 0, count);
    }

    private List<TaskSpec> range(Split split, long step, int size) {
        List<TaskSpec> specs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            specs.add(spec(split, step, i));
        }
        return specs;
    }
}
