package ai.metaspark;

import ai.metaspark.model.Activation;
import ai.metaspark.model.MlpModel;
import ai.metaspark.data.sinusoid.SinusoidFamily;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSampler;

import java.util.List;

/** Small shared test inputs. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A 1-8-6-1 MLP: 16 + 56 + 7 = 79 parameters, small enough for full finite-difference gradients. */
    public static MlpModel smallMlp(Activation act) {
        return new MlpModel(1, List.of(8, 6), 1, act);
    }

    public static Task sinusoidTask(long seed, int support, int query) {
        return new SinusoidFamily().materialize(new TaskSampler(seed).spec(Split.TRAIN, 0, 0), support, query);
    }

    /** Relative L2 distance |a - b| / |b|. */
    public static double relErr(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    /** Central finite-difference gradient of f at x, coordinate by coordinate. */
    public static double[] fdGradient(java.util.function.ToDoubleFunction<double[]> f, double[] x, double eps) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[i] += eps;
            m[i] -= eps;
            g[i] = (f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * eps);
        }
        return g;
    }
}
