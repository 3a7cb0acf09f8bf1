package ai.metaspark.model;

import ai.metaspark.task.Batch;

import java.util.ArrayList;
import java.util.List;

/**
 * The tasks of a slice side by side: the gradients of several tasks in one call, each at its own parameters on its
 * own data, and exact Hessian-vector products on those passes. A learner that computes tasks together (the Conv-4 on
 * ND4J operations, whose batched kernels are what a GPU needs) offers one through {@link Learner#sideBySide()};
 * {@link #oneByOne} makes one of any learner, making the same calls task after task.
 *
 * <p>Passes are kept per <em>stage</em>, a small index the caller picks (MAML: inner step j for the support passes at
 * {@code p_j}, k for the query passes at {@code p_k}). {@link #hessianVectors} at a stage runs at the parameters and
 * data of that stage's last {@link #gradients}, whose arrays must stay unchanged until then. Not thread-safe.
 */
public interface SliceLearner {
    /**
     * At most this many tasks go side by side in one call; callers run a larger slice in consecutive parts
     * ({@link #parts}). It bounds the native memory a stage keeps, which grows with the tasks.
     */
    int MAX_TASKS = 32;

    /** {@code tasks} in consecutive parts of at most {@link #MAX_TASKS}, in order. */
    static <T> List<List<T>> parts(List<T> tasks) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < tasks.size(); from += MAX_TASKS) {
            out.add(tasks.subList(from, Math.min(tasks.size(), from + MAX_TASKS)));
        }
        return out;
    }

    /**
     * Writes each task's gradient of its mean loss on {@code data[t]} at {@code params[t]} into {@code grads[t]};
     * returns {@code {loss, accuracy}} per task (the accuracy when {@code accuracy} is set and the learner classifies,
     * else 0). Keeps the passes as {@code stage}.
     */
    double[][] gradients(int stage, double[][] params, Batch[] data, double[][] grads, boolean accuracy);

    /** Writes {@code H_t v[t]} into {@code out[t]}, {@code H_t} the Hessian of task t's loss at the stage's kept pass. */
    void hessianVectors(int stage, double[][] v, double[][] out);

    /** Any learner as a slice learner: each call runs the learner's own methods, task after task. */
    static SliceLearner oneByOne(Learner learner) {
        return new OneByOne(learner);
    }

    /** See {@link #oneByOne}: a stage remembers its parameters and data; the learner keeps (or recomputes) the passes. */
    final class OneByOne implements SliceLearner {
        private final Learner learner;
        private final List<double[][]> params = new ArrayList<>();
        private final List<Batch[]> data = new ArrayList<>();

        private OneByOne(Learner learner) {
            this.learner = learner;
        }

        @Override
        public double[][] gradients(int stage, double[][] p, Batch[] d, double[][] grads, boolean accuracy) {
            while (params.size() <= stage) {
                params.add(null);
                data.add(null);
            }
            params.set(stage, p);
            data.set(stage, d);
            double[][] out = new double[p.length][];
            for (int t = 0; t < p.length; t++) {
                out[t] = accuracy ? learner.gradientAndAccuracy(p[t], d[t], grads[t])
                        : new double[] {learner.gradient(p[t], d[t], grads[t]), 0};
            }
            return out;
        }

        @Override
        public void hessianVectors(int stage, double[][] v, double[][] out) {
            if (stage >= params.size() || params.get(stage) == null) {
                throw new IllegalStateException("no gradients at stage " + stage + " to take Hessian-vector products at");
            }
            double[][] p = params.get(stage);
            Batch[] d = data.get(stage);
            for (int t = 0; t < v.length; t++) learner.hessianVector(p[t], d[t], v[t], out[t]);
        }
    }
}
