package ai.metaspark.train;

import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.algo.TaskOutcome;
import ai.metaspark.model.Learner;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs tasks in this JVM: the meta-batch is cut into one contiguous slice per thread, each thread keeps its own
 * learner and adapts its slice ({@code adaptAll}: side by side where the algorithm and learner can). Results do not
 * depend on the thread count (the accumulator is exact, each task's outcome is the one it gets alone, evaluations keep
 * their order).
 */
public final class LocalTaskRunner implements TaskRunner {
    private final Experiment experiment;
    private final int threads;
    private final ExecutorService pool;
    private final ThreadLocal<Learner> learner;

    public LocalTaskRunner(Experiment experiment, int threads) {
        this.experiment = experiment;
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.pool = this.threads > 1 ? Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "metaspark-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        this.learner = ThreadLocal.withInitial(experiment.learners());
    }

    @Override
    public MetaGradientAccumulator metaGradient(double[] meta, List<TaskSpec> specs) {
        List<MetaGradientAccumulator> parts = inSlices(specs, slice -> {
            MetaGradientAccumulator acc = new MetaGradientAccumulator(meta.length);
            List<Task> tasks = new ArrayList<>(slice.size());
            for (TaskSpec s : slice) tasks.add(experiment.trainTask(s));
            for (TaskOutcome outcome : experiment.algorithm().adaptAll(learner.get(), meta, tasks)) {
                acc.add(outcome);
            }
            acc.flush(); // here, in parallel, rather than in the merge on the calling thread
            return List.of(acc);
        });
        MetaGradientAccumulator total = parts.get(0);
        for (MetaGradientAccumulator p : parts.subList(1, parts.size())) total.merge(p);
        return total;
    }

    @Override
    public List<TaskEvaluation> evaluate(double[] meta, List<TaskSpec> specs) {
        return inSlices(specs, slice -> {
            Learner l = learner.get();
            List<TaskEvaluation> out = new ArrayList<>();
            for (TaskSpec s : slice) {
                out.add(experiment.evaluate(l, meta, s));
            }
            return out;
        });
    }

    private interface SliceWork<T> {
        List<T> run(List<TaskSpec> slice);
    }

    /** Runs contiguous slices in parallel and concatenates their results in slice order. */
    private <T> List<T> inSlices(List<TaskSpec> specs, SliceWork<T> work) {
        int n = Math.min(threads, specs.size());
        if (pool == null || n <= 1) return work.run(specs);
        List<Future<List<T>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<TaskSpec> slice = TaskRunner.slice(specs, i, n);
            futures.add(pool.submit(() -> work.run(slice)));
        }
        List<T> out = new ArrayList<>();
        for (Future<List<T>> f : futures) {
            out.addAll(join(f));
        }
        return out;
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
