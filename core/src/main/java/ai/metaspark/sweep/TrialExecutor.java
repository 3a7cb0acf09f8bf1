package ai.metaspark.sweep;

import java.util.concurrent.Future;

/** Runs trial executions somewhere: threads of this JVM ({@link LocalTrialExecutor}), or Spark tasks (spark-jobs). */
public interface TrialExecutor extends AutoCloseable {
    /** Starts {@code work}; the future fails only for infrastructure (a trial's own failure is a result). */
    Future<TrialResult> submit(TrialWork work);

    /** How many trials run at once. */
    int slots();

    /** Stops every running trial (a stopping sweep); their folders keep their checkpoints. */
    void cancelAll();

    /** Where trials run, for people. */
    String describe();

    @Override
    void close();
}
