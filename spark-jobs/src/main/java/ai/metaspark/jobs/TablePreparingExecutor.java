package ai.metaspark.jobs;

import ai.metaspark.data.table.TableSpec;
import ai.metaspark.spark.table.TablePreparation;
import ai.metaspark.sweep.TrialExecutor;
import ai.metaspark.sweep.TrialResult;
import ai.metaspark.sweep.TrialWork;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Future;

/**
 * A sweep's trial executor that first prepares a trial's table ({@code task: table}) on the driver, where Spark SQL
 * runs, when no prepared copy fits its recipe (a swept k_shot, say, needs its own); trials of other families pass
 * straight through. With a Spark context (trials as Spark tasks) the preparation runs in it; without (trials on
 * threads), in an embedded context started for it and stopped after.
 */
final class TablePreparingExecutor implements TrialExecutor {
    private final TrialExecutor trials;
    private final JavaSparkContext sc;
    private final String master;
    private final PrintStream console;

    TablePreparingExecutor(TrialExecutor trials, JavaSparkContext sc, String master, PrintStream console) {
        this.trials = trials;
        this.sc = sc;
        this.master = master;
        this.console = console;
    }

    @Override
    public Future<TrialResult> submit(TrialWork work) {
        try {
            synchronized (this) {
                TableSpec spec = TablePreparation.unprepared(work.recipe());
                if (spec != null && sc != null) TablePreparation.prepare(spec, sc, console);
                else if (spec != null) TablePreparation.prepare(work.recipe(), spec, master, false, console);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the table of trial " + work.trial().name() + ": " + e.getMessage(), e);
        }
        return trials.submit(work);
    }

    @Override
    public int slots() {
        return trials.slots();
    }

    @Override
    public void cancelAll() {
        trials.cancelAll();
    }

    @Override
    public String describe() {
        return trials.describe();
    }

    @Override
    public void close() {
        trials.close();
    }
}
