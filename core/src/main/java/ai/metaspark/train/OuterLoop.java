package ai.metaspark.train;

import ai.metaspark.optim.OuterOptimizer;
import ai.metaspark.task.TaskSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The meta-steps themselves: for each step, sample its meta-batch, get the summed meta-gradient from a
 * {@link GradientSum} and take the outer optimizer step. A pure function of (experiment, start state, steps), so any
 * process that runs it from the same state with the same sums ends with the same bits: the driver with a
 * {@link TaskRunner}, or every Spark barrier task of a segment with its all-reduced sums.
 */
public final class OuterLoop {
    /** The exact sum of the task outcomes of one meta-batch at {@code meta}. */
    @FunctionalInterface
    public interface GradientSum {
        MetaGradientAccumulator sum(double[] meta, List<TaskSpec> specs);
    }

    private OuterLoop() {
    }

    /**
     * Runs steps {@code [from, to)} starting from {@code meta} and {@code optimizerState} (neither is modified).
     *
     * @throws DivergedException when a sum meets a value that is not finite
     */
    public static Segment run(Experiment e, int from, int to, double[] meta, double[] optimizerState, GradientSum sums) {
        double[] theta = meta.clone();
        OuterOptimizer optimizer = OuterOptimizer.of(e.optimizer(), theta.length);
        optimizer.restore(optimizerState);
        int batch = e.metaBatch();
        List<StepRecord> records = new ArrayList<>(to - from);
        for (int step = from; step < to; step++) {
            MetaGradientAccumulator acc = sum(sums, theta, e.sampler().metaBatch(step, batch), step);
            double norm = optimizer.step(theta, acc.meanGradient(), step);
            records.add(new StepRecord(acc.meanPreLoss(), acc.meanPostLoss(), acc.meanPreAccuracy(),
                    acc.meanPostAccuracy(), norm, optimizer.learningRate(step)));
        }
        return new Segment(to, theta, optimizer.state(), records);
    }

    private static MetaGradientAccumulator sum(GradientSum sums, double[] meta, List<TaskSpec> specs, int step) {
        try {
            return sums.sum(meta, specs);
        } catch (ArithmeticException ex) {
            throw new DivergedException("training diverged at step " + step + ": " + ex.getMessage()
                    + " (lower outer_lr or inner_lr, or set clip_norm)", ex);
        }
    }
}
