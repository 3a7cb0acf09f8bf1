package ai.metaspark.algo;

import ai.metaspark.model.Learner;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;

import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * The inner loop: plain gradient descent {@code theta <- theta - alpha * grad L_support(theta)}, with one learning rate
 * or one per parameter (Meta-SGD). Immutable; the arrays it returns are new unless the caller passes its own.
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
        return step(theta, grad, new double[theta.length]);
    }

    /** theta - alpha * grad, into {@code next} (which may not be {@code grad}); returns it. */
    public double[] step(double[] theta, double[] grad, double[] next) {
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

    /**
     * Meta-test of one task by SGD on its support set: the query loss (or with {@code accuracy}, the query accuracy)
     * after 0..evalSteps inner steps, and the wall time of the first {@code evalInnerSteps} steps (the adaptation itself;
     * the query evaluations along the curve are not counted). Step j is {@code stepAt.apply(j)} from the parameters
     * {@code u_j}; the network runs with {@code paramsAt.apply(u_j, j)} (the identity but for MAML++'s per-step batch
     * norm). One pass: the curve's steps are the adaptation's.
     */
    public static TaskEvaluation evaluate(Learner learner, Task task, double[] start, int evalInnerSteps, int evalSteps,
                                          boolean accuracy, IntFunction<InnerSgd> stepAt,
                                          BiFunction<double[], Integer, double[]> paramsAt) {
        double[] curve = new double[evalSteps + 1];
        double[] g = new double[start.length];
        double[] u = start;
        long nanos = 0;
        for (int j = 0; j <= evalSteps; j++) {
            long t0 = System.nanoTime();
            double[] p = paramsAt.apply(u, j);
            long t1 = System.nanoTime();
            curve[j] = accuracy ? learner.accuracy(p, task.query()) : learner.loss(p, task.query());
            if (j < evalSteps) {
                long t2 = System.nanoTime();
                learner.gradient(p, task.support(), g);
                u = stepAt.apply(j).step(u, g);
                if (j < evalInnerSteps) nanos += (t1 - t0) + (System.nanoTime() - t2);
            }
        }
        return new TaskEvaluation(curve, nanos / 1e6);
    }
}
