package ai.metaspark.spark;

import ai.metaspark.train.RunLog;
import ai.metaspark.train.TrainState;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Spark listener that sums stage and task times, and a {@link RunLog} that writes them to metrics.jsonl: after each
 * training metrics line, one {@code {"kind":"stage", ...}} line covering the stages since the previous one (count,
 * mean and max stage wall time, tasks, mean task run time, failed task attempts).
 */
public final class StageMetrics extends SparkListener implements RunLog {
    private final RunLog delegate;
    private long stages;
    private long stageMillis;
    private long maxStageMillis;
    private long tasks;
    private long taskRunMillis;
    private long failedTasks;

    public StageMetrics(RunLog delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
        StageInfo s = event.stageInfo();
        if (s.submissionTime().isEmpty() || s.completionTime().isEmpty()) return;
        long ms = (Long) s.completionTime().get() - (Long) s.submissionTime().get();
        stages++;
        stageMillis += ms;
        maxStageMillis = Math.max(maxStageMillis, ms);
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd event) {
        if (!event.taskInfo().successful()) {
            failedTasks++;
            return;
        }
        tasks++;
        if (event.taskMetrics() != null) taskRunMillis += event.taskMetrics().executorRunTime();
    }

    @Override
    public void metrics(Map<String, Object> line) {
        delegate.metrics(line);
        if (line.containsKey("loss_pre")) delegate.metrics(drain(line.get("step")));
    }

    private synchronized Map<String, Object> drain(Object step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "stage");
        m.put("step", step);
        m.put("stages", stages);
        m.put("stage_ms_mean", stages == 0 ? 0.0 : (double) stageMillis / stages);
        m.put("stage_ms_max", maxStageMillis);
        m.put("tasks", tasks);
        m.put("task_run_ms_mean", tasks == 0 ? 0.0 : (double) taskRunMillis / tasks);
        m.put("failed_tasks", failedTasks);
        stages = stageMillis = maxStageMillis = tasks = taskRunMillis = failedTasks = 0;
        return m;
    }

    @Override
    public void checkpoint(TrainState state) {
        delegate.checkpoint(state);
    }
}
