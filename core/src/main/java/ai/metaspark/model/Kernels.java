package ai.metaspark.model;

/**
 * Dense-layer loops for {@link MlpLearner}. Activations are row-major {@code [n, width]}; weights are DL4J's
 * column-major {@code W[nIn, nOut]} (element (i, j) at {@code i + nIn * j}). Inner loops run over contiguous memory
 * as {@code y += s * x}, the form the JIT vectorizes.
 */
final class Kernels {
    private Kernels() {
    }

    /** wt[i * nOut + j] = W[i + nIn * j]: row-major copy, so the forward pass can stream rows of W. */
    static void transpose(double[] p, int off, int nIn, int nOut, double[] wt) {
        for (int j = 0; j < nOut; j++) {
            int col = off + nIn * j;
            for (int i = 0; i < nIn; i++) {
                wt[i * nOut + j] = p[col + i];
            }
        }
    }

    /** out[r, :] = bias + in[r, :] @ W, with W given row-major in wt. */
    static void affine(double[] in, int n, int nIn, double[] wt, double[] p, int bOff, int nOut, double[] out) {
        for (int r = 0; r < n; r++) {
            int o = r * nOut;
            System.arraycopy(p, bOff, out, o, nOut);
        }
        accumulateAffine(in, n, nIn, wt, nOut, out);
    }

    /** out[r, :] += in[r, :] @ W, with W given row-major in wt. */
    static void accumulateAffine(double[] in, int n, int nIn, double[] wt, int nOut, double[] out) {
        for (int r = 0; r < n; r++) {
            int o = r * nOut;
            for (int i = 0; i < nIn; i++) {
                double s = in[r * nIn + i];
                if (s == 0) continue;
                int w = i * nOut;
                for (int j = 0; j < nOut; j++) {
                    out[o + j] += s * wt[w + j];
                }
            }
        }
    }

    /** g[off + i + nIn * j] (+)= sum_r in[r, i] * d[r, j]: the weight gradient of a dense layer. */
    static void weightGrad(double[] in, double[] d, int n, int nIn, int nOut, double[] g, int off, boolean add) {
        if (!add) java.util.Arrays.fill(g, off, off + nIn * nOut, 0);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < nOut; j++) {
                double s = d[r * nOut + j];
                if (s == 0) continue;
                int col = off + nIn * j;
                int row = r * nIn;
                for (int i = 0; i < nIn; i++) {
                    g[col + i] += s * in[row + i];
                }
            }
        }
    }

    /** g[off + j] (+)= sum_r d[r, j]: the bias gradient. */
    static void columnSums(double[] d, int n, int nOut, double[] g, int off, boolean add) {
        if (!add) java.util.Arrays.fill(g, off, off + nOut, 0);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < nOut; j++) {
                g[off + j] += d[r * nOut + j];
            }
        }
    }

    /** e[r, i] (+)= sum_j W[i + nIn * j] * d[r, j]: the error sent to the layer below. */
    static void backprop(double[] p, int off, double[] d, int n, int nIn, int nOut, double[] e, boolean add) {
        if (!add) java.util.Arrays.fill(e, 0, n * nIn, 0);
        for (int r = 0; r < n; r++) {
            int row = r * nIn;
            for (int j = 0; j < nOut; j++) {
                double s = d[r * nOut + j];
                if (s == 0) continue;
                int col = off + nIn * j;
                for (int i = 0; i < nIn; i++) {
                    e[row + i] += s * p[col + i];
                }
            }
        }
    }
}
