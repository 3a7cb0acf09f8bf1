package ai.metaspark.data.sinusoid;

import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSpec;

import java.util.SplittableRandom;

/**
 * Sinusoid regression (Finn et al. 2017, section 5.1): {@code y = A sin(x - phi)} with amplitude A ~ U[0.1, 5],
 * phase phi ~ U[0, pi] per task, and inputs x ~ U[-5, 5] per example.
 */
public final class SinusoidFamily implements TaskFamily {
    private static final long serialVersionUID = 1L;
    public static final double MIN_AMPLITUDE = 0.1;
    public static final double MAX_AMPLITUDE = 5.0;
    public static final double MAX_PHASE = Math.PI;
    public static final double X_RANGE = 5.0;

    @Override
    public int inputSize() {
        return 1;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public Task materialize(TaskSpec spec, int support, int query) {
        SplittableRandom rng = new SplittableRandom(spec.seed());
        double amplitude = MIN_AMPLITUDE + (MAX_AMPLITUDE - MIN_AMPLITUDE) * rng.nextDouble();
        double phase = MAX_PHASE * rng.nextDouble();
        return new Task(spec, points(rng, support, amplitude, phase), points(rng, query, amplitude, phase));
    }

    private static Batch points(SplittableRandom rng, int n, double amplitude, double phase) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -X_RANGE + 2 * X_RANGE * rng.nextDouble();
            y[i] = amplitude * StrictMath.sin(x[i] - phase);
        }
        return new Batch(n, 1, 1, x, y);
    }
}
