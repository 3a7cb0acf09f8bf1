package ai.metaspark.jobs;

import ai.metaspark.algo.TransferHead;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.config.ConfigException;
import ai.metaspark.eval.EvalResult;
import ai.metaspark.run.RunFolder;
import ai.metaspark.report.RunReport;
import ai.metaspark.runtime.BlasSelfCheck;
import ai.metaspark.spark.SparkTaskRunner;
import ai.metaspark.spark.table.TablePreparation;
import ai.metaspark.task.Split;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TaskRunner;
import ai.metaspark.train.TrainState;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Meta-trains one configuration (through Spark, or in-process; a table is first prepared with Spark SQL, see
 * {@link TablePreparation}), meta-tests the result on unseen tasks and fills the
 * run folder. A finished run folder is left alone; an unfinished one continues from its newest checkpoint when asked.
 * SIGTERM or SIGINT during training stops it at the next segment boundary with a checkpoint ({@link StopSignals},
 * {@link ai.metaspark.train.StoppedException}).
 */
public final class TrainJob {
    private final Recipe recipe;
    private final TrainOptions options;
    private final PrintStream console;

    public TrainJob(Recipe recipe, TrainOptions options, PrintStream console) {
        this.recipe = recipe;
        this.options = options;
        this.console = console;
    }

    /** Trains and returns the meta-test result, or null when the run folder already holds a finished run. */
    public EvalResult run() throws IOException {
        RunFolder.Status status = RunFolder.status(options.out());
        if (status == RunFolder.Status.FINISHED) {
            console.printf("%s already holds a finished run (eval.json); nothing to do%n", options.out());
            return null;
        }
        if (status == RunFolder.Status.UNFINISHED && !options.resume()) {
            throw new ConfigException("output folder " + options.out() + " holds an unfinished run; "
                    + "pass --resume to continue it from its newest checkpoint, or choose another --out");
        }
        BlasSelfCheck.verify();
        JavaSparkContext prepared = TablePreparation.ensure(recipe, options.master(), !options.inProcess(), console);
        Experiment e;
        try {
            e = recipe.experiment();
        } catch (RuntimeException ex) {
            if (prepared != null) prepared.stop(); // the runner did not take the table's Spark context over
            throw ex;
        }
        int keep = e.execution().keepCheckpoints();
        try (TaskRunner runner = runner(e);
             RunFolder run = status == RunFolder.Status.EMPTY ? RunFolder.create(options.out(), recipe, keep)
                     : RunFolder.reopen(options.out(), recipe, keep)) {
            TrainState resumed = status == RunFolder.Status.EMPTY ? null : run.resumeState(options.fallbackCheckpoint(), console);
            return trainAndTest(e, run, runner, resumed);
        }
    }

    private EvalResult trainAndTest(Experiment e, RunFolder run, TaskRunner runner, TrainState resumed) throws IOException {
        RunLog log = runner instanceof SparkTaskRunner spark ? spark.withStageMetrics(run) : run;
        AtomicBoolean stop = new AtomicBoolean();
        MetaTrainer trainer = new MetaTrainer(e, runner, log, console, stop::get);
        if (e.algorithm() instanceof TransferHead) return transferAndTest(e, run, runner, trainer, resumed, stop);
        TrainState start = resumed != null ? resumed : trainer.initialState();
        console.printf(Locale.ROOT, "training %s on %s: %d meta-steps x %d tasks, %d parameters, backend %s%s -> %s%n",
                e.spec().name(), recipe.task(), e.schedule().metaSteps(), e.metaBatch(), e.network().numParams(),
                e.network().describeBackend(e.backend()), resumed != null ? ", resuming at step " + resumed.step() : "", run.path());
        long t0 = System.nanoTime();
        TrainState state;
        try (StopSignals signals = new StopSignals(stop)) {
            state = trainer.train(start);
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double[] meta = MetaTrainer.result(e.schedule(), state);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("steps", state.step());
        extra.put("resumed_from", start.step());
        String trained = String.format(Locale.ROOT, "trained %d steps", state.step() - start.step());
        MultiLayerNetwork model = e.network().toDl4j(e.algorithm().networkParams(meta, e.network().numParams()));
        return test(e, trainer, run, meta, model, trainSeconds, extra, trained);
    }

    /** The transfer baseline: a classifier over every training class (DL4J Spark or in-process), then the meta-test. */
    private EvalResult transferAndTest(Experiment e, RunFolder run, TaskRunner runner, MetaTrainer trainer,
                                       TrainState resumed, AtomicBoolean stop) throws IOException {
        console.printf(Locale.ROOT, "training transfer on %s -> %s%n", recipe.task(), run.path());
        long t0 = System.nanoTime();
        TransferTraining training = new TransferTraining(e, console);
        MultiLayerNetwork net;
        try (StopSignals signals = new StopSignals(stop)) {
            net = runner instanceof SparkTaskRunner spark
                    ? training.train(spark.context(), spark.partitions(), run, resumed, stop::get)
                    : training.train(null, 0, run, resumed, stop::get);
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double[] meta = net.params().toDoubleVector();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("epochs", e.classifier().epochs());
        extra.put("steps", e.classifier().epochs() * training.minibatchesPerEpoch()); // minibatches trained
        return test(e, trainer, run, meta, net, trainSeconds, extra, "trained " + e.classifier().epochs() + " epochs");
    }

    private EvalResult test(Experiment e, MetaTrainer trainer, RunFolder run, double[] meta, MultiLayerNetwork model,
                            double trainSeconds, Map<String, Object> more, String trained) throws IOException {
        console.printf("meta-test on %d unseen tasks%n", e.evaluation().tasks());
        EvalResult result = trainer.evaluate(meta, Split.TEST, e.evaluation().tasks());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("algorithm", e.spec().name());
        extra.putAll(more);
        extra.put("train_seconds", trainSeconds);
        run.writeResults(model, meta, result, extra);
        console.printf(Locale.ROOT, "%s; %s in %.1f s%n", result.summary(), trained, trainSeconds);
        RunReport.writeAfterTraining(run, console);
        return result;
    }

    private TaskRunner runner(Experiment e) {
        if (options.inProcess()) return new LocalTaskRunner(e, e.execution().threads());
        SparkTaskRunner r = SparkTaskRunner.start(options.master(), e);
        console.printf("Spark %s: %d partitions per meta-step%n", r.master(), r.partitions());
        return r;
    }
}
