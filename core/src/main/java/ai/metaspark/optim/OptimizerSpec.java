package ai.metaspark.optim;

import java.io.Serializable;
import java.util.function.IntToDoubleFunction;

/**
 * The outer optimizer a recipe names: update rule, learning rate and its schedule, momentum and gradient clipping.
 *
 * @param rule         the update rule
 * @param learningRate the base outer learning rate ({@code outer_lr})
 * @param momentum     momentum of {@link Rule#NESTEROV}
 * @param clipNorm     clip the meta-gradient to this global L2 norm (0: off)
 * @param schedule     how the learning rate changes over the meta-steps
 */
public record OptimizerSpec(Rule rule, double learningRate, double momentum, double clipNorm, Schedule schedule)
        implements Serializable {

    /** The update rules (DL4J's updaters' formulas). */
    public enum Rule { SGD, NESTEROV, ADAM }

    /** The kinds of learning-rate schedule. */
    public enum Decay { NONE, STEP, COSINE }

    /**
     * A learning-rate schedule.
     *
     * @param decay      none, step (x {@code rate} every {@code every} steps) or cosine (to {@code min} at {@code steps})
     * @param every      steps between step decays
     * @param rate       factor of each step decay
     * @param min        final learning rate of the cosine schedule
     * @param steps      meta-steps the cosine schedule spans
     */
    public record Schedule(Decay decay, int every, double rate, double min, int steps) implements Serializable {
        /** No decay. */
        public static Schedule constant() {
            return new Schedule(Decay.NONE, 1, 1, 0, 1);
        }
    }

    /** The learning rate at each step: fixed, step decay, or cosine annealing (Loshchilov and Hutter 2017). */
    IntToDoubleFunction learningRates() {
        double lr = learningRate;
        Schedule s = schedule;
        return switch (s.decay()) {
            case STEP -> step -> lr * StrictMath.pow(s.rate(), step / s.every());
            case COSINE -> {
                int steps = Math.max(1, s.steps());
                yield step -> s.min() + 0.5 * (lr - s.min()) * (1 + StrictMath.cos(StrictMath.PI * Math.min(1.0, step / (double) steps)));
            }
            case NONE -> step -> lr;
        };
    }
}
