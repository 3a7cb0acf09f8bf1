package ai.metaspark.testfamily;

import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSpec;

import java.util.SplittableRandom;

/**
 * A task family that exists only in the test tree, to show that a family plugs in by adding files: linear
 * regression tasks {@code y = a x + b} with slope and intercept drawn per task from U[-2, 2], inputs from U[-1, 1].
 */
public final class LineFamily implements TaskFamily {
    private static final long serialVersionUID = 1L;

    @Override
    public int inputSize() {
        return 1;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public boolean classification() {
        return false;
    }

    @Override
    public Task materialize(TaskSpec spec, int support, int query) {
        SplittableRandom rng = new SplittableRandom(spec.seed());
        double a = -2 + 4 * rng.nextDouble();
        double b = -2 + 4 * rng.nextDouble();
        return new Task(spec, points(rng, support, a, b), points(rng, query, a, b));
    }

    private static Batch points(SplittableRandom rng, int n, double a, double b) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1 + 2 * rng.nextDouble();
            y[i] = a * x[i] + b;
        }
        return new Batch(n, 1, 1, x, y);
    }
}
