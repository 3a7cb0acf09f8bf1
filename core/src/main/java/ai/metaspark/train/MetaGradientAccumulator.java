package ai.metaspark.train;

import ai.metaspark.algo.TaskOutcome;

import java.io.Serializable;

/**
 * Sums task outcomes of a meta-step: meta-gradients, losses and accuracies. {@code add} folds in one task, {@code merge} another
 * accumulator; both are exact and order-independent (see {@link ExactSum}), so a local fold, a thread pool and Spark's
 * {@code treeReduce} give the same bits.
 */
public final class MetaGradientAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int PRE = 0;
    private static final int POST = 1;
    private static final int ACC_PRE = 2;
    private static final int ACC_POST = 3;
    private final ExactSum gradient;
    private final ExactSum losses;
    private long count;

    public MetaGradientAccumulator(int size) {
        this(new ExactSum(size), new ExactSum(4), 0);
    }

    private MetaGradientAccumulator(ExactSum gradient, ExactSum losses, long count) {
        this.gradient = gradient;
        this.losses = losses;
        this.count = count;
    }

    public MetaGradientAccumulator add(TaskOutcome outcome) {
        gradient.add(outcome.metaGradient());
        losses.add(PRE, outcome.preLoss());
        losses.add(POST, outcome.postLoss());
        losses.add(ACC_PRE, outcome.preAccuracy());
        losses.add(ACC_POST, outcome.postAccuracy());
        count++;
        return this;
    }

    public MetaGradientAccumulator merge(MetaGradientAccumulator other) {
        gradient.merge(other.gradient);
        losses.merge(other.losses);
        count += other.count;
        return this;
    }

    /** Settles pending additions ({@link ExactSum#flush}): on the thread that added them, before a merge elsewhere. */
    public void flush() {
        gradient.flush();
        losses.flush();
    }

    public long count() {
        return count;
    }

    /** The mean meta-gradient over the tasks added. */
    public double[] meanGradient() {
        return gradient.mean(count);
    }

    /** Mean loss before adaptation (see {@link TaskOutcome#preLoss()}). */
    public double meanPreLoss() {
        return losses.get(PRE) / count;
    }

    /** Mean query loss after adaptation. */
    public double meanPostLoss() {
        return losses.get(POST) / count;
    }

    /** Mean accuracy before adaptation (classification; 0 for regression; see {@link TaskOutcome#preAccuracy()}). */
    public double meanPreAccuracy() {
        return losses.get(ACC_PRE) / count;
    }

    /** Mean query accuracy after adaptation (classification; 0 for regression). */
    public double meanPostAccuracy() {
        return losses.get(ACC_POST) / count;
    }
}
