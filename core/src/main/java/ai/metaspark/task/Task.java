package ai.metaspark.task;

import java.util.List;

/** A materialized task: the support set the learner adapts on and the query set it is judged on. */
public record Task(TaskSpec spec, Batch support, Batch query) {
    /**
     * Whether the tasks can run side by side: all of one meta-step, with support sets of one size and query sets of
     * one size (N-way K-shot episodes are).
     */
    public static boolean alike(List<Task> tasks) {
        Task first = tasks.get(0);
        return tasks.stream().allMatch(t -> t.spec().step() == first.spec().step() && t.support().n() == first.support().n()
                && t.query().n() == first.query().n());
    }
}
