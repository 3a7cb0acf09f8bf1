package ai.metaspark.testfamily;

import ai.metaspark.task.Batch;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSpec;

import java.util.SplittableRandom;

/**
 * A task family that exists only in the test tree, to show that a family plugs in by adding files: linear regression
 * over two inputs, {@code y = a1 x1 + a2 x2 + b}, with a1, a2 and b drawn per task from U[-2, 2] and inputs from
 * U[-1, 1]^2 (two inputs, so the network is sized by the family, not by the sinusoid's one).
 */
public final class LineFamily implements TaskFamily {
    private static final long serialVersionUID = 1L;
    private static final int INPUTS = 2;

    @Override
    public int inputSize() {
        return INPUTS;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public Task materialize(TaskSpec spec, int support, int query) {
        SplittableRandom rng = new SplittableRandom(spec.seed());
        double[] coef = rng.doubles(INPUTS + 1, -2, 2).toArray();
        return new Task(spec, sample(rng, support, coef), sample(rng, query, coef));
    }

    private static Batch sample(SplittableRandom rng, int n, double[] coef) {
        double[] x = rng.doubles((long) n * INPUTS, -1, 1).toArray();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = coef[INPUTS];
            for (int d = 0; d < INPUTS; d++) y[i] += coef[d] * x[i * INPUTS + d];
        }
        return new Batch(n, INPUTS, 1, x, y);
    }
}
