package ai.metaspark.model.conv;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-task Java vectors to one f32 ND4J array and back, tasks one after another: how {@link Nd4jConv4Net} takes a
 * slice's parameters, images and directions in and gives each task its part of the results.
 */
final class TaskArrays {
    private TaskArrays() {
    }

    /** Entries {@code from .. from + count} of every task's vector, as floats, one task after another. */
    static INDArray gather(double[][] p, int from, int count) {
        float[] f = new float[p.length * count];
        for (int t = 0; t < p.length; t++) {
            for (int i = 0; i < count; i++) f[t * count + i] = (float) p[t][from + i];
        }
        return Nd4j.createFromArray(f);
    }

    /** {@link #gather(double[][], int, int)} of float vectors. */
    static INDArray gather(float[][] p, int from, int count) {
        float[] f = new float[p.length * count];
        for (int t = 0; t < p.length; t++) System.arraycopy(p[t], from, f, t * count, count);
        return Nd4j.createFromArray(f);
    }

    /**
     * Writes task t's part of {@code a} (its t-th of {@code out.length} equal parts) into {@code out[t][from ..]};
     * returns {@code out}.
     */
    static double[][] scatter(double[][] out, int from, INDArray a) {
        float[] f = a.dup('c').data().asFloat();
        int per = f.length / out.length;
        for (int t = 0; t < out.length; t++) {
            for (int i = 0; i < per; i++) out[t][from + i] = f[t * per + i];
        }
        return out;
    }

    /** {@link #scatter(double[][], int, INDArray)} into float vectors. */
    static float[][] scatter(float[][] out, int from, INDArray a) {
        float[] f = a.dup('c').data().asFloat();
        int per = f.length / out.length;
        for (int t = 0; t < out.length; t++) System.arraycopy(f, t * per, out[t], from, per);
        return out;
    }
}
