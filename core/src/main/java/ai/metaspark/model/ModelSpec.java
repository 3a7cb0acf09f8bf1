package ai.metaspark.model;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fully connected network {@code inputs -> hidden... -> outputs} with an identity output and mean-squared-error loss.
 * Its flat parameter vector has DL4J's layout: per layer the weights {@code W[nIn, nOut]} in column-major ('f') order,
 * then the bias {@code b[nOut]}. So a flat vector moves between the backends and a DL4J network unchanged.
 */
public record ModelSpec(int inputs, List<Integer> hidden, int outputs, Activation activation) implements Serializable {
    public ModelSpec {
        hidden = List.copyOf(hidden);
    }

    /** Layer widths, inputs first. */
    public int[] sizes() {
        int[] s = new int[hidden.size() + 2];
        s[0] = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            s[i + 1] = hidden.get(i);
        }
        s[s.length - 1] = outputs;
        return s;
    }

    public int numParams() {
        int[] s = sizes();
        int p = 0;
        for (int l = 1; l < s.length; l++) {
            p += s[l - 1] * s[l] + s[l];
        }
        return p;
    }

    /** Glorot-uniform weights and zero biases, drawn from {@code seed}. */
    public double[] initialParams(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] s = sizes();
        double[] p = new double[numParams()];
        int off = 0;
        for (int l = 1; l < s.length; l++) {
            double limit = Math.sqrt(6.0 / (s[l - 1] + s[l]));
            for (int k = 0; k < s[l - 1] * s[l]; k++) {
                p[off++] = limit * (2 * rng.nextDouble() - 1);
            }
            off += s[l];
        }
        return p;
    }
}
