package ai.metaspark.spark;

import ai.metaspark.task.TaskSpec;
import org.apache.spark.TaskContext;

/**
 * Chaos testing: makes the first attempt of the Spark task that runs one chosen task spec fail, so a test can check
 * that Spark's retry changes nothing. Off unless the driver sets the local property {@value #PROPERTY} to
 * {@code STEP:INDEX} ({@code sc.setLocalProperty}); then only that spec's first attempt throws (the first
 * attempt of the first stage attempt: a failed barrier stage is re-run as a new stage attempt).
 */
public final class FaultInjection {
    public static final String PROPERTY = "metaspark.fault.failFirstAttempt";

    private FaultInjection() {
    }

    static void maybeFail(TaskSpec spec) {
        TaskContext tc = TaskContext.get();
        if (tc == null || tc.attemptNumber() > 0 || tc.stageAttemptNumber() > 0) return;
        String target = tc.getLocalProperty(PROPERTY);
        if (target != null && target.equals(spec.step() + ":" + spec.index())) {
            throw new IllegalStateException("injected failure at task " + target + " (attempt 0 of Spark task " + tc.taskAttemptId() + ")");
        }
    }
}
