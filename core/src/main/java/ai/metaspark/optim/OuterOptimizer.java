package ai.metaspark.optim;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * The outer update on the flat meta-parameter vector, through ND4J's updaters (Adam, Nesterov momentum, SGD) with a
 * learning-rate schedule and optional global-norm gradient clipping. Runs in float64.
 */
public final class OuterOptimizer {
    private final IUpdater config;
    private final GradientUpdater<?> updater;
    private final INDArray state;
    private final double clipNorm;

    public OuterOptimizer(IUpdater config, int size, double clipNorm) {
        this.config = config;
        this.clipNorm = clipNorm;
        long stateSize = config.stateSize(size);
        this.state = stateSize == 0 ? null : Nd4j.zeros(DataType.DOUBLE, 1, stateSize);
        this.updater = config.instantiate(state, true);
    }

    /** The optimizer a configuration names, for a meta-parameter vector of {@code size}. */
    public static OuterOptimizer fromConfig(RunConfig c, int size) {
        ISchedule lr = schedule(c);
        IUpdater u;
        switch (c.get(Keys.OUTER_OPTIMIZER)) {
            case "adam": u = new Adam(lr); break;
            case "nesterov": u = new Nesterovs(lr, c.getDouble(Keys.MOMENTUM)); break;
            default: u = new Sgd(lr);
        }
        return new OuterOptimizer(u, size, c.getDouble(Keys.CLIP_NORM));
    }

    static ISchedule schedule(RunConfig c) {
        double lr = c.getDouble(Keys.OUTER_LR);
        switch (c.get(Keys.LR_SCHEDULE)) {
            case "step": return new StepSchedule(ScheduleType.ITERATION, lr, c.getDouble(Keys.LR_DECAY_RATE), c.getInt(Keys.LR_DECAY_EVERY));
            case "cosine": return new CosineSchedule(lr, c.getDouble(Keys.LR_MIN), c.getInt(Keys.META_STEPS));
            default: return new FixedSchedule(lr);
        }
    }

    /** Learning rate at a step. */
    public double learningRate(int step) {
        return config.getLearningRate(step, 0);
    }

    /**
     * One outer step in place: clips {@code gradient}, turns it into the update and subtracts it from {@code meta}.
     *
     * @return the gradient's L2 norm before clipping
     */
    public double step(double[] meta, double[] gradient, int step) {
        double norm = norm(gradient);
        double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
        INDArray g = Nd4j.createFromArray(gradient).reshape(1, gradient.length);
        if (scale != 1) g.muli(scale);
        updater.applyUpdater(g, step, 0);
        double[] update = g.reshape(gradient.length).toDoubleVector();
        for (int k = 0; k < meta.length; k++) {
            meta[k] -= update[k];
        }
        return norm;
    }

    /** The updater's state (Adam moments, momentum), for checkpoints. */
    public double[] state() {
        return state == null ? new double[0] : state.reshape(state.length()).toDoubleVector();
    }

    /** Restores a state taken with {@link #state()}. */
    public void restore(double[] saved) {
        if (saved.length != (state == null ? 0 : state.length())) {
            throw new IllegalArgumentException("optimizer state of " + saved.length + " values, expected " + (state == null ? 0 : state.length()));
        }
        if (state != null) state.assign(Nd4j.createFromArray(saved).reshape(state.shape()));
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}
