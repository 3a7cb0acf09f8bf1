package ai.metaspark.jobs;

import ai.metaspark.io.Files;
import ai.metaspark.report.SweepReport;
import ai.metaspark.runtime.BlasSelfCheck;
import ai.metaspark.spark.SparkTrialExecutor;
import ai.metaspark.sweep.LocalTrialExecutor;
import ai.metaspark.sweep.Sweep;
import ai.metaspark.sweep.SweepFolder;
import ai.metaspark.sweep.SweepSpec;
import ai.metaspark.sweep.TrialExecutor;
import org.apache.hadoop.fs.Path;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a sweep file: its trials as tasks of one Spark application (or on threads of this JVM), its record in the
 * sweep folder, SIGTERM/SIGINT stopping it with the record consistent ({@code --resume} continues), and the report.
 */
public final class SweepJob {
    private final SweepSpec spec;
    private final TrainOptions options;
    private final PrintStream console;

    public SweepJob(SweepSpec spec, TrainOptions options, PrintStream console) {
        this.spec = spec;
        this.options = options;
        this.console = console;
    }

    /** Runs the sweep to its end and returns its outcome. */
    public Sweep.Outcome run() {
        // executors resolve the trials' folders: a qualified path (file:/..., hdfs://...) means the same place on each
        String out = Files.fileSystem(options.out()).makeQualified(new Path(options.out())).toString();
        SweepFolder folder = SweepFolder.open(out, spec, options.resume());
        BlasSelfCheck.verify();
        AtomicBoolean stop = new AtomicBoolean();
        Sweep.Outcome outcome;
        try (TrialExecutor executor = executor(); StopSignals signals = new StopSignals(stop)) {
            outcome = new Sweep(spec, folder, executor, console, stop::get).run();
        }
        SweepReport.writeAfterSweep(out, console);
        return outcome;
    }

    private TrialExecutor executor() {
        if (options.inProcess()) {
            LocalTrialExecutor local = new LocalTrialExecutor(Math.max(1, Runtime.getRuntime().availableProcessors() / spec.threads()));
            return new TablePreparingExecutor(local, null, options.master(), console);
        }
        SparkTrialExecutor spark = SparkTrialExecutor.start(options.master(), spec.threads());
        return new TablePreparingExecutor(spark, spark.context(), null, console);
    }
}
