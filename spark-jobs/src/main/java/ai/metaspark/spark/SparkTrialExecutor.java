package ai.metaspark.spark;

import ai.metaspark.sweep.TrialExecutor;
import ai.metaspark.sweep.TrialResult;
import ai.metaspark.sweep.TrialRun;
import ai.metaspark.sweep.TrialWork;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a sweep's trials as tasks of one Spark application: each execution is a one-task job (submitted asynchronously,
 * so as many run at once as the executors have task slots), whose task trains the trial in-process on the executor
 * ({@link TrialRun}) with the sweep's threads ({@code spark.task.cpus} is set to them). A trial's own failure is its
 * result, so Spark retries a task only when it was lost (an executor died), and the retry continues from the trial's
 * checkpoint with the same bits.
 */
public final class SparkTrialExecutor implements TrialExecutor {
    private static final String GROUP = "metaspark-sweep";
    private static final long STOP_WAIT_MS = 120_000;

    private final JavaSparkContext sc;
    private final int slots;

    private SparkTrialExecutor(JavaSparkContext sc, int slots) {
        this.sc = sc;
        this.slots = slots;
    }

    /** Starts Spark on {@code master} (null: spark-submit's, else embedded local[*]) for trials of {@code threads} threads. */
    public static SparkTrialExecutor start(String master, int threads) {
        SparkConf conf = SparkRuntime.conf(master, "metaspark-sweep");
        if (threads > 1) conf.setIfMissing("spark.task.cpus", Integer.toString(threads));
        JavaSparkContext sc = SparkRuntime.start(conf);
        return new SparkTrialExecutor(sc, Math.max(1, sc.defaultParallelism() / threads));
    }

    @Override
    public Future<TrialResult> submit(TrialWork work) {
        sc.setJobGroup(GROUP, "sweep trial " + work.trial().name() + " rung " + work.rung(), false);
        JavaFutureAction<List<TrialResult>> job = sc.parallelize(List.of(work), 1).map(SparkTrialExecutor::runTask).collectAsync();
        return new First(job);
    }

    /** On an executor: the trial, stopping at a segment boundary once Spark kills the task (its job group cancelled). */
    private static TrialResult runTask(TrialWork work) {
        TaskContext task = TaskContext.get();
        return TrialRun.run(work, task::isInterrupted);
    }

    /** The Spark context the trials run in. */
    public JavaSparkContext context() {
        return sc;
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public void cancelAll() {
        sc.cancelJobGroup(GROUP); // marks the tasks killed, without interrupting a write: each trial stops at a segment boundary
        long deadline = System.currentTimeMillis() + STOP_WAIT_MS;
        while (sc.statusTracker().getActiveStageIds().length > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String describe() {
        return String.format("Spark %s, %d trial(s) at a time", sc.master(), slots);
    }

    @Override
    public void close() {
        sc.stop();
    }

    /** A one-task job's future, seen as its one result. */
    private record First(JavaFutureAction<List<TrialResult>> job) implements Future<TrialResult> {
        @Override
        public boolean cancel(boolean interrupt) {
            return job.cancel(interrupt);
        }

        @Override
        public boolean isCancelled() {
            return job.isCancelled();
        }

        @Override
        public boolean isDone() {
            return job.isDone();
        }

        @Override
        public TrialResult get() throws InterruptedException, ExecutionException {
            return job.get().get(0);
        }

        @Override
        public TrialResult get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return job.get(timeout, unit).get(0);
        }
    }
}
