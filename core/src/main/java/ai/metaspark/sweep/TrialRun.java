package ai.metaspark.sweep;

import ai.metaspark.config.ConfigException;
import ai.metaspark.eval.EvalResult;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.run.RunFolder;
import ai.metaspark.task.Split;
import ai.metaspark.train.DivergedException;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.TrainState;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * Runs one {@link TrialWork} in this JVM: meta-trains the trial's recipe in its run folder up to the budget (from the
 * folder's newest checkpoint when there is one, so a promoted trial or a retried Spark task continues rather than
 * starting again, with the bits of an uninterrupted run), measures the metric and writes the rung's result to the
 * folder, atomically. A trial that diverges or whose configuration the recipe refuses is a result with status
 * {@code failed}, not an exception: Spark never retries a trial for its own hyperparameters. Only infrastructure
 * failures (file system, a lost executor) propagate, and the retry continues from the checkpoint.
 */
public final class TrialRun {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private TrialRun() {
    }

    /**
     * Runs {@code work} (or returns the result an earlier execution recorded) and records it. Once {@code cancelled}
     * says so (a stopping sweep), training stops at its next segment boundary with a checkpoint and no result is
     * recorded ({@link ai.metaspark.train.StoppedException}); nothing is interrupted in the middle of a write.
     */
    public static TrialResult run(TrialWork work, BooleanSupplier cancelled) {
        SweepFolder.TrialFolder folder = new SweepFolder.TrialFolder(work.folder());
        TrialResult recorded = folder.result(work.rung());
        if (recorded != null) return recorded;
        long t0 = System.nanoTime();
        TrialResult result;
        try {
            result = train(work, experiment(work), cancelled, t0);
        } catch (Invalid | DivergedException e) {
            result = new TrialResult(work.trial().id(), work.rung(), work.budget(), TrialResult.FAILED, null, Double.NaN, Double.NaN,
                    seconds(t0), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("trial " + work.trial().name() + ": " + e.getMessage(), e);
        }
        folder.record(result);
        return result;
    }

    /** A combination of values the recipe refuses (anil on an MLP, say): the trial's own failure. */
    private static final class Invalid extends RuntimeException {
        Invalid(ConfigException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static Experiment experiment(TrialWork work) {
        try {
            return work.recipe().experiment();
        } catch (ConfigException e) {
            throw new Invalid(e);
        }
    }

    private static TrialResult train(TrialWork work, Experiment e, BooleanSupplier cancelled, long t0) throws IOException {
        Recipe recipe = work.recipe();
        int keep = e.execution().keepCheckpoints();
        RunFolder.Status status = RunFolder.status(work.folder());
        try (RunFolder run = status == RunFolder.Status.EMPTY ? RunFolder.create(work.folder(), recipe, keep)
                : RunFolder.reopen(work.folder(), recipe, keep);
             LocalTaskRunner runner = new LocalTaskRunner(e, e.execution().threads())) {
            TrainState resumed = status == RunFolder.Status.EMPTY ? null : run.resumeState(false, QUIET);
            MetaTrainer trainer = new MetaTrainer(e, runner, run, QUIET, cancelled);
            TrainState state = resumed != null ? resumed : trainer.initialState();
            if (state.step() < work.budget()) state = trainer.train(state, work.budget());
            int tasks = work.metric() == Split.TEST ? e.evaluation().tasks() : e.schedule().valTasks();
            EvalResult r = trainer.evaluate(MetaTrainer.result(e.schedule(), state), work.metric(), tasks);
            if (!Double.isFinite(r.mean())) throw new DivergedException("the " + r.metric() + " is " + r.mean() + " after " + state.step() + " steps", null);
            return new TrialResult(work.trial().id(), work.rung(), work.budget(), TrialResult.DONE, r.metric(), r.mean(), r.ci95(),
                    seconds(t0), null);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
