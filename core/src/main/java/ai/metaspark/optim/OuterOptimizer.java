package ai.metaspark.optim;

import ai.metaspark.optim.OptimizerSpec.Rule;

import java.util.function.IntToDoubleFunction;

/**
 * The outer update on the flat meta-parameter vector: Adam, Nesterov momentum or SGD, with a learning-rate schedule
 * and optional global-norm gradient clipping, in plain float64 Java. The formulas are DL4J's updaters' (so are the
 * state layouts: Adam keeps [m, v], Nesterov [v]), but plain Java arithmetic is strict IEEE-754 and
 * {@link StrictMath} is the same everywhere, so every JVM taking a step from the same state and gradient gets the same
 * bits, whatever CPU or native library it runs on. That is what lets every Spark barrier task of a segment take the
 * outer step itself.
 */
public final class OuterOptimizer {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final Rule rule;
    private final IntToDoubleFunction lr;
    private final double momentum;
    private final double clipNorm;
    private final double[] state;

    private OuterOptimizer(Rule rule, IntToDoubleFunction lr, double momentum, int size, double clipNorm) {
        this.rule = rule;
        this.lr = lr;
        this.momentum = momentum;
        this.clipNorm = clipNorm;
        this.state = new double[rule == Rule.ADAM ? 2 * size : rule == Rule.NESTEROV ? size : 0];
    }

    /** The optimizer {@code spec} names, for a meta-parameter vector of {@code size}. */
    public static OuterOptimizer of(OptimizerSpec spec, int size) {
        return new OuterOptimizer(spec.rule(), spec.learningRates(), spec.momentum(), size, spec.clipNorm());
    }

    /** Learning rate at a step. */
    public double learningRate(int step) {
        return lr.applyAsDouble(step);
    }

    /**
     * One outer step in place: clips {@code gradient} (not modified), turns it into the update and subtracts it from
     * {@code meta}.
     *
     * @return the gradient's L2 norm before clipping
     */
    public double step(double[] meta, double[] gradient, int step) {
        double norm = norm(gradient);
        double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
        double rate = learningRate(step);
        int n = meta.length;
        switch (rule) {
            case SGD -> {
                for (int k = 0; k < n; k++) meta[k] -= rate * (gradient[k] * scale);
            }
            case NESTEROV -> {
                for (int k = 0; k < n; k++) {
                    double previous = state[k];
                    state[k] = momentum * previous - rate * (gradient[k] * scale);
                    meta[k] -= momentum * previous - (1 + momentum) * state[k];
                }
            }
            case ADAM -> {
                double alpha = rate * StrictMath.sqrt(1 - StrictMath.pow(BETA2, step + 1)) / (1 - StrictMath.pow(BETA1, step + 1));
                for (int k = 0; k < n; k++) {
                    double g = gradient[k] * scale;
                    double m = state[k] = BETA1 * state[k] + (1 - BETA1) * g;
                    double v = state[n + k] = BETA2 * state[n + k] + (1 - BETA2) * g * g;
                    meta[k] -= alpha * m / (StrictMath.sqrt(v) + EPSILON);
                }
            }
        }
        return norm;
    }

    /** The optimizer's state (Adam moments, momentum), for checkpoints. */
    public double[] state() {
        return state.clone();
    }

    /** Restores a state taken with {@link #state()}. */
    public void restore(double[] saved) {
        if (saved.length != state.length) {
            throw new IllegalArgumentException("optimizer state of " + saved.length + " values, expected " + state.length);
        }
        System.arraycopy(saved, 0, state, 0, state.length);
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return StrictMath.sqrt(s);
    }
}
