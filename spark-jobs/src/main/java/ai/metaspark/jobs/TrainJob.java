package ai.metaspark.jobs;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.eval.EvalResult;
import ai.metaspark.io.RunFolder;
import ai.metaspark.report.RunReport;
import ai.metaspark.runtime.BlasSelfCheck;
import ai.metaspark.task.Split;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.TaskRunner;
import ai.metaspark.train.TrainState;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Meta-trains one configuration, meta-tests the result on unseen tasks, and fills the run folder. */
public final class TrainJob {
    private final RunConfig config;
    private final String out;
    private final PrintStream console;

    public TrainJob(RunConfig config, String out, PrintStream console) {
        this.config = config;
        this.out = out;
        this.console = console;
    }

    public EvalResult run() throws IOException {
        BlasSelfCheck.verify();
        Experiment e = Experiment.from(config);
        try (RunFolder run = RunFolder.create(out, config);
             TaskRunner runner = new LocalTaskRunner(e, config.getInt(Keys.THREADS))) {
            console.printf(Locale.ROOT, "training %s on %s: %d meta-steps x %d tasks, %d parameters -> %s%n",
                    config.get(Keys.ALGORITHM), config.get(Keys.TASK), config.getInt(Keys.META_STEPS),
                    config.getInt(Keys.META_BATCH), e.model().numParams(), run.path());
            MetaTrainer trainer = new MetaTrainer(e, runner, run, console);
            long t0 = System.nanoTime();
            TrainState state = trainer.train(trainer.initialState());
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double[] meta = MetaTrainer.result(config, state);
            console.printf("meta-test on %d unseen tasks%n", config.getInt(Keys.EVAL_TASKS));
            EvalResult result = trainer.evaluate(meta, Split.TEST, config.getInt(Keys.EVAL_TASKS));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("algorithm", config.get(Keys.ALGORITHM));
            extra.put("steps", state.step());
            extra.put("train_seconds", trainSeconds);
            run.writeResults(e.model(), meta, result, extra);
            console.printf(Locale.ROOT, "%s; trained %d steps in %.1f s%n", result.summary(), state.step(), trainSeconds);
            RunReport.writeAfterTraining(run, console);
            return result;
        }
    }
}
