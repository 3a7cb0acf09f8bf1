package ai.metaspark.runtime;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.train.Experiment;

import java.lang.management.ManagementFactory;

/** Bytes allocated on the heap by the current thread while running some code (HotSpot's thread allocation counter). */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    public static long bytes(Runnable work) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        work.run();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }

    /**
     * Heap bytes one task's {@code adapt} allocates for an experiment (its first training task, at the initial
     * meta-parameters): the fewest of 5 measurements after {@code warmUp} untimed calls (JIT, scratch buffers).
     */
    public static long perTask(Experiment e, int warmUp) {
        Learner learner = e.learners().get();
        double[] meta = e.initialMeta();
        Task task = e.trainTask(e.sampler().spec(Split.TRAIN, 0, 0));
        for (int i = 0; i < warmUp; i++) e.algorithm().adapt(learner, meta, task);
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) min = Math.min(min, bytes(() -> e.algorithm().adapt(learner, meta, task)));
        return min;
    }
}
