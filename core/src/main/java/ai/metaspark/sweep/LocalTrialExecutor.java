package ai.metaspark.sweep;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs trials on {@code slots} threads of this JVM, one trial per thread (the in-process sweep). */
public final class LocalTrialExecutor implements TrialExecutor {
    private final int slots;
    private final ExecutorService pool;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public LocalTrialExecutor(int slots) {
        this.slots = slots;
        this.pool = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "metaspark-trial");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Future<TrialResult> submit(TrialWork work) {
        return pool.submit(() -> TrialRun.run(work, cancelled::get));
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public void cancelAll() {
        cancelled.set(true); // each trial stops at its next segment boundary with a checkpoint
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.MINUTES)) throw new IllegalStateException("trials did not stop within 10 minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String describe() {
        return "in-process, " + slots + " trial(s) at a time";
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
