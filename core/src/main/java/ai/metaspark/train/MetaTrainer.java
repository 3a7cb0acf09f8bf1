package ai.metaspark.train;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.eval.EvalResult;
import ai.metaspark.eval.Evaluator;
import ai.metaspark.optim.OuterOptimizer;
import ai.metaspark.task.Split;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outer loop, the same whoever runs the tasks: sample the meta-batch of the step, get its summed meta-gradient
 * from the {@link TaskRunner}, take one optimizer step; log, validate (early stopping keeps the best parameters) and
 * checkpoint on schedule.
 */
public final class MetaTrainer {
    private final Experiment experiment;
    private final TaskRunner runner;
    private final RunLog log;
    private final PrintStream console;

    public MetaTrainer(Experiment experiment, TaskRunner runner, RunLog log, PrintStream console) {
        this.experiment = experiment;
        this.runner = runner;
        this.log = log;
        this.console = console;
    }

    /** A fresh state: initial meta-parameters and an empty optimizer. */
    public TrainState initialState() {
        double[] meta = experiment.initialMeta();
        return TrainState.start(meta, OuterOptimizer.fromConfig(experiment.config(), meta.length).state());
    }

    /** Trains from {@code state} to the end (or an early stop) and returns the final state. */
    public TrainState train(TrainState state) {
        RunConfig c = experiment.config();
        int steps = c.getInt(Keys.META_STEPS);
        int batch = c.getInt(Keys.META_BATCH);
        double[] meta = state.meta().clone();
        OuterOptimizer optimizer = OuterOptimizer.fromConfig(c, meta.length);
        optimizer.restore(state.optimizerState());
        Progress progress = new Progress(console, state.step(), steps, batch);
        Window window = new Window(experiment.classification());
        TrainState current = state;
        for (int step = state.step(); step < steps; step++) {
            MetaGradientAccumulator acc = metaGradient(meta, step, batch);
            double norm = optimizer.step(meta, acc.meanGradient(), step);
            window.add(acc, norm);
            current = new TrainState(step + 1, meta, null, current.bestMeta(), current.bestValidation(), current.badValidations());
            if (due(step, c.getInt(Keys.LOG_EVERY), steps)) {
                log.metrics(window.line(step + 1, optimizer.learningRate(step), progress.stepsPerSecond(step + 1)));
                window = new Window(experiment.classification());
            }
            current = maybeValidate(current, step, meta);
            boolean stop = c.getInt(Keys.PATIENCE) > 0 && current.badValidations() >= c.getInt(Keys.PATIENCE);
            boolean end = stop || step + 1 == steps;
            int every = c.getInt(Keys.CHECKPOINT_EVERY);
            if (end || (every > 0 && (step + 1) % every == 0)) log.checkpoint(snapshot(current, optimizer));
            progress.maybePrint(step + 1, acc.meanPreLoss(), acc.meanPostLoss(), end);
            if (stop) {
                console.printf("early stop at step %d: no validation improvement in %d validations%n", step + 1, current.badValidations());
                break;
            }
        }
        return snapshot(current, optimizer);
    }

    /** The parameters training ends with: the best validated ones when validation is on, else the last. */
    public static double[] result(RunConfig c, TrainState state) {
        return c.getInt(Keys.VAL_EVERY) > 0 && state.bestValidation() < Double.POSITIVE_INFINITY ? state.bestMeta() : state.meta();
    }

    /** Meta-test of {@code meta} on {@code count} tasks of a held-out split. */
    public EvalResult evaluate(double[] meta, Split split, int count) {
        var results = runner.evaluate(meta, experiment.sampler().heldOut(split, count));
        return Evaluator.summarize(experiment.metric(), results, experiment.postStep());
    }

    private TrainState maybeValidate(TrainState s, int step, double[] meta) {
        int every = experiment.config().getInt(Keys.VAL_EVERY);
        if (every == 0 || (step + 1) % every != 0) return s;
        double val = evaluate(meta, Split.VALIDATION, experiment.config().getInt(Keys.VAL_TASKS)).mean();
        double score = validationScore(experiment, val);
        boolean better = score < s.bestValidation();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step + 1);
        line.put(experiment.classification() ? "val_acc" : "val_loss", val);
        line.put("best", better);
        log.metrics(line);
        return better ? new TrainState(s.step(), meta, null, meta.clone(), score, 0)
                : new TrainState(s.step(), meta, null, s.bestMeta(), s.bestValidation(), s.badValidations() + 1);
    }

    /**
     * What early stopping minimizes: the validation loss, or for classification minus the validation accuracy
     * (accuracy is higher-is-better). {@link TrainState#bestValidation()} holds this score.
     */
    static double validationScore(Experiment e, double value) {
        return e.classification() ? -value : value;
    }

    /** A self-contained copy of the loop's state (the live meta-parameters copied, the optimizer state read out). */
    private static TrainState snapshot(TrainState s, OuterOptimizer o) {
        return new TrainState(s.step(), s.meta().clone(), o.state(), s.bestMeta(), s.bestValidation(), s.badValidations());
    }

    private static boolean due(int step, int every, int steps) {
        return (step + 1) % every == 0 || step + 1 == steps;
    }

    private MetaGradientAccumulator metaGradient(double[] meta, int step, int batch) {
        try {
            return runner.metaGradient(meta, experiment.sampler().metaBatch(step, batch));
        } catch (ArithmeticException e) {
            throw new DivergedException("training diverged at step " + step + ": " + e.getMessage()
                    + " (lower outer_lr or inner_lr, or set clip_norm)", e);
        }
    }

    /** Averages over the steps between two metrics lines. */
    private static final class Window {
        private final boolean accuracy;
        private double pre;
        private double post;
        private double accPre;
        private double accPost;
        private double norm;
        private int n;

        Window(boolean accuracy) {
            this.accuracy = accuracy;
        }

        void add(MetaGradientAccumulator acc, double gradNorm) {
            pre += acc.meanPreLoss();
            post += acc.meanPostLoss();
            accPre += acc.meanPreAccuracy();
            accPost += acc.meanPostAccuracy();
            norm += gradNorm;
            n++;
        }

        Map<String, Object> line(int step, double lr, double stepsPerSecond) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", step);
            m.put("loss_pre", pre / n);
            m.put("loss_post", post / n);
            if (accuracy) {
                m.put("acc_pre", accPre / n);
                m.put("acc_post", accPost / n);
            }
            m.put("grad_norm", norm / n);
            m.put("lr", lr);
            m.put("steps_per_s", stepsPerSecond);
            return m;
        }
    }
}
