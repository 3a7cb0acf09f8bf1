package ai.metaspark.train;

import ai.metaspark.eval.EvalResult;
import ai.metaspark.eval.Evaluator;
import ai.metaspark.optim.OuterOptimizer;
import ai.metaspark.train.Experiment.Schedule;
import ai.metaspark.task.Split;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

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
    private final BooleanSupplier stopRequested;

    public MetaTrainer(Experiment experiment, TaskRunner runner, RunLog log, PrintStream console) {
        this(experiment, runner, log, console, () -> false);
    }

    /** A trainer that stops at the next segment boundary once {@code stopRequested} says so (see {@link #train}). */
    public MetaTrainer(Experiment experiment, TaskRunner runner, RunLog log, PrintStream console, BooleanSupplier stopRequested) {
        this.experiment = experiment;
        this.runner = runner;
        this.log = log;
        this.console = console;
        this.stopRequested = stopRequested;
    }

    /** A fresh state: initial meta-parameters and an empty optimizer. */
    public TrainState initialState() {
        double[] meta = experiment.initialMeta();
        return TrainState.start(meta, OuterOptimizer.of(experiment.optimizer(), meta.length).state());
    }

    /**
     * Trains from {@code state} to the end (or an early stop) and returns the final state. Steps run in segments that
     * end at every log, validation and checkpoint step (and are shorter when {@link Experiment.Execution#stepsPerJob()} says so);
     * segmenting changes no bits. When a stop is requested, the segment running finishes, a checkpoint of the step
     * reached is written and {@link StoppedException} is thrown.
     */
    public TrainState train(TrainState state) {
        return train(state, experiment.schedule().metaSteps());
    }

    /**
     * Trains from {@code state} up to step {@code until} (at most the schedule's end) and checkpoints there: the first
     * part of the whole schedule (learning-rate decay included), so a later {@code train} from that checkpoint gives
     * the bits of one uninterrupted run. A sweep's budgets (rungs) are such parts.
     */
    public TrainState train(TrainState state, int until) {
        Schedule schedule = experiment.schedule();
        int steps = Math.min(until, schedule.metaSteps());
        Progress progress = new Progress(console, state.step(), steps, experiment.metaBatch());
        SegmentLength length = new SegmentLength(experiment.execution().stepsPerJob());
        Window window = new Window(experiment.classification());
        TrainState current = state;
        while (current.step() < steps) {
            int from = current.step();
            int to = Math.min(Math.min(nextBoundary(schedule, from), steps), from + length.next());
            long t0 = System.nanoTime();
            Segment segment = runner.train(experiment, from, to, current.meta(), current.optimizerState());
            length.observe(to - from, System.nanoTime() - t0);
            for (StepRecord r : segment.steps()) window.add(r);
            if (due(to - 1, schedule.logEvery(), steps)) {
                log.metrics(window.line(to, progress.stepsPerSecond(to)));
                window = new Window(experiment.classification());
            }
            current = maybeValidate(new TrainState(to, segment.meta(), segment.optimizerState(), current.bestMeta(),
                    current.bestValidation(), current.badValidations()), to - 1);
            boolean stop = schedule.patience() > 0 && current.badValidations() >= schedule.patience();
            boolean end = stop || to == steps;
            int every = schedule.checkpointEvery();
            boolean stopping = !end && stopRequested.getAsBoolean();
            if (end || stopping || (every > 0 && to % every == 0)) log.checkpoint(current);
            StepRecord last = segment.steps().get(segment.steps().size() - 1);
            progress.maybePrint(to, last.preLoss(), last.postLoss(), end);
            if (stopping) throw new StoppedException(to);
            if (stop) {
                console.printf("early stop at step %d: no validation improvement in %d validations%n", to, current.badValidations());
                break;
            }
        }
        return current;
    }

    /** The first step after {@code from} where training must stop to log, validate, checkpoint or end. */
    private static int nextBoundary(Schedule schedule, int from) {
        int next = schedule.metaSteps();
        for (int every : new int[]{schedule.logEvery(), schedule.valEvery(), schedule.checkpointEvery()}) {
            if (every > 0) next = Math.min(next, (from / every + 1) * every);
        }
        return next;
    }

    /** The parameters training ends with: the best validated ones when validation is on, else the last. */
    public static double[] result(Schedule schedule, TrainState state) {
        return schedule.valEvery() > 0 && state.bestValidation() < Double.POSITIVE_INFINITY ? state.bestMeta() : state.meta();
    }

    /** Meta-test of {@code meta} on {@code count} tasks of a held-out split. */
    public EvalResult evaluate(double[] meta, Split split, int count) {
        var results = runner.evaluate(meta, experiment.sampler().heldOut(split, count));
        return Evaluator.summarize(experiment.metric(), results, experiment.evaluation().evalInnerSteps());
    }

    private TrainState maybeValidate(TrainState s, int step) {
        double[] meta = s.meta();
        int every = experiment.schedule().valEvery();
        if (every == 0 || (step + 1) % every != 0) return s;
        double val = evaluate(meta, Split.VALIDATION, experiment.schedule().valTasks()).mean();
        double score = validationScore(experiment, val);
        boolean better = score < s.bestValidation();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step + 1);
        line.put(experiment.classification() ? "val_acc" : "val_loss", val);
        line.put("best", better);
        log.metrics(line);
        return better ? new TrainState(s.step(), meta, s.optimizerState(), meta.clone(), score, 0)
                : new TrainState(s.step(), meta, s.optimizerState(), s.bestMeta(), s.bestValidation(), s.badValidations() + 1);
    }

    /**
     * What early stopping minimizes: the validation loss, or for classification minus the validation accuracy
     * (accuracy is higher-is-better). {@link TrainState#bestValidation()} holds this score.
     */
    static double validationScore(Experiment e, double value) {
        return e.classification() ? -value : value;
    }

    private static boolean due(int step, int every, int steps) {
        return (step + 1) % every == 0 || step + 1 == steps;
    }

    /** Averages over the steps between two metrics lines. */
    private static final class Window {
        private final boolean accuracy;
        private double pre;
        private double post;
        private double accPre;
        private double accPost;
        private double norm;
        private double lr;
        private int n;

        Window(boolean accuracy) {
            this.accuracy = accuracy;
        }

        void add(StepRecord r) {
            pre += r.preLoss();
            post += r.postLoss();
            accPre += r.preAccuracy();
            accPost += r.postAccuracy();
            norm += r.gradNorm();
            lr = r.learningRate();
            n++;
        }

        Map<String, Object> line(int step, double stepsPerSecond) {
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
