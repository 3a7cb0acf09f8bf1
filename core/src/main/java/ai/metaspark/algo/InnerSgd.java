package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Batch;

/**
 * The inner loop: plain gradient descent {@code theta <- theta - alpha * grad L_support(theta)}, with one learning rate
 * or one per parameter (Meta-SGD). Immutable; the arrays it returns are new.
 */
public final class InnerSgd {
    private final double rate;
    private final double[] rates;

    private InnerSgd(double rate, double[] rates) {
        this.rate = rate;
        this.rates = rates;
    }

    public static InnerSgd uniform(double rate) {
        return new InnerSgd(rate, null);
    }

    /** Per-parameter rates (a view: not copied). */
    public static InnerSgd perParameter(double[] rates) {
        return new InnerSgd(Double.NaN, rates);
    }

    /** theta - alpha * grad, as a new array. */
    public double[] step(double[] theta, double[] grad) {
        double[] next = new double[theta.length];
        for (int k = 0; k < theta.length; k++) {
            next[k] = theta[k] - (rates == null ? rate : rates[k]) * grad[k];
        }
        return next;
    }

    /** alpha * v elementwise, into out. */
    public void scale(double[] v, double[] out) {
        for (int k = 0; k < v.length; k++) {
            out[k] = (rates == null ? rate : rates[k]) * v[k];
        }
    }

    /** The parameters after {@code steps} steps on {@code support}. */
    public double[] adapt(Learner learner, double[] theta, Batch support, int steps) {
        double[] g = new double[theta.length];
        double[] current = theta;
        for (int j = 0; j < steps; j++) {
            learner.gradient(current, support, g);
            current = step(current, g);
        }
        return current;
    }

    /** Query loss after 0, 1, ..., steps inner steps on the support set. */
    public double[] curve(Learner learner, double[] theta, Batch support, Batch query, int steps) {
        return curve(learner, theta, support, query, steps, false);
    }

    /** Query loss, or with {@code accuracy} query accuracy, after 0, 1, ..., steps inner steps on the support set. */
    public double[] curve(Learner learner, double[] theta, Batch support, Batch query, int steps, boolean accuracy) {
        double[] losses = new double[steps + 1];
        double[] g = new double[theta.length];
        double[] current = theta;
        for (int j = 0; j <= steps; j++) {
            losses[j] = accuracy ? learner.accuracy(current, query) : learner.loss(current, query);
            if (j < steps) {
                learner.gradient(current, support, g);
                current = step(current, g);
            }
        }
        return losses;
    }
}
