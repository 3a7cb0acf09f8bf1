package ai.metaspark.task;

/** A materialized task: the support set the learner adapts on and the query set it is judged on. */
public record Task(TaskSpec spec, Batch support, Batch query) {
}
