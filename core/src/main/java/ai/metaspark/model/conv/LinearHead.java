package ai.metaspark.model.conv;

/**
 * A Conv-4 classifier's linear head and its softmax cross-entropy, in double: logits {@code z = e W + b} of the
 * embeddings e, their gradients, and the head's part of an exact Hessian-vector product. The head's parameters sit at
 * {@code headOffset} of the flat vector: {@code W[embeddingSize, classes]} row-major, then {@code b[classes]}.
 * {@link Conv4Classifier} (one task) and {@link Conv4Slice} (tasks side by side) share it, so both compute the same
 * bits.
 */
final class LinearHead {
    private final int headOffset;
    private final int emb;
    private final int classes;

    LinearHead(int headOffset, int emb, int classes) {
        this.headOffset = headOffset;
        this.emb = emb;
        this.classes = classes;
    }

    /** Conv parameters + head weights + head bias. */
    int numParams() {
        return headOffset + emb * classes + classes;
    }

    /** {@code e W} (+ {@code b} when {@code withBias}) for the head {@code W}, {@code b} in {@code p}: {@code [n, classes]}. */
    double[] logits(double[] p, double[] e, int n, boolean withBias) {
        int bias = headOffset + emb * classes;
        double[] z = new double[n * classes];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < classes; j++) {
                z[i * classes + j] = withBias ? p[bias + j] : 0;
            }
            for (int k = 0; k < emb; k++) {
                double ek = e[i * emb + k];
                int row = headOffset + k * classes;
                for (int j = 0; j < classes; j++) {
                    z[i * classes + j] += ek * p[row + j];
                }
            }
        }
        return z;
    }

    /** Writes the head's gradient {@code W: e' dz}, {@code b: colsum(dz)} into {@code grad} (its head part). */
    void gradient(double[] e, double[] dz, int n, double[] grad) {
        int bias = headOffset + emb * classes;
        java.util.Arrays.fill(grad, headOffset, numParams(), 0.0);
        addWeightGradient(e, dz, n, grad);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < classes; j++) {
                grad[bias + j] += dz[i * classes + j];
            }
        }
    }

    /** Adds {@code e' dz} to the head weights' part of {@code grad}. */
    private void addWeightGradient(double[] e, double[] dz, int n, double[] grad) {
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < emb; k++) {
                double ek = e[i * emb + k];
                int row = headOffset + k * classes;
                for (int j = 0; j < classes; j++) {
                    grad[row + j] += ek * dz[i * classes + j];
                }
            }
        }
    }

    /** The gradient at the embeddings, {@code dz W'}: {@code [n, embeddingSize]}. */
    double[] embeddingGradient(double[] p, double[] dz, int n) {
        double[] de = new double[n * emb];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < emb; k++) {
                double s = 0;
                int row = headOffset + k * classes;
                for (int j = 0; j < classes; j++) {
                    s += dz[i * classes + j] * p[row + j];
                }
                de[i * emb + k] = s;
            }
        }
        return de;
    }

    /**
     * The head's part of {@code H v} for a kept gradient pass (embeddings {@code e}, logit gradient {@code dz},
     * {@code labels}) at {@code params}, given {@code rh}, R of the embeddings along v's conv part: writes R of the
     * head's gradient into {@code out}'s head part and returns R of the embedding gradient (for the conv R-backward).
     */
    double[] hessianVector(double[] params, double[] v, double[] e, double[] dz, int[] labels, double[] rh, double[] out) {
        int n = labels.length;
        double[] ro = logits(params, rh, n, false);                  // R o = Rh W + h V_W + V_b
        double[] viaV = logits(v, e, n, true);
        double[] rgo = new double[n * classes];                      // R go = P (R o - rowsum(P R o)) / n
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (int j = 0; j < classes; j++) {
                ro[i * classes + j] += viaV[i * classes + j];
                dot += probability(dz, labels, i, j) * ro[i * classes + j];
            }
            for (int j = 0; j < classes; j++) {
                rgo[i * classes + j] = probability(dz, labels, i, j) * (ro[i * classes + j] - dot) / n;
            }
        }
        gradient(e, rgo, n, out);                                    // R gW = h' R go (+ Rh' go below), R gb = colsum R go
        addWeightGradient(rh, dz, n, out);
        double[] rgh = embeddingGradient(params, rgo, n);            // R gh = R go W' + go V_W'
        double[] viaVW = embeddingGradient(v, dz, n);
        for (int i = 0; i < rgh.length; i++) rgh[i] += viaVW[i];
        return rgh;
    }

    /** The softmax probability of class j for row i, from the mean loss's logit gradient: {@code (P - Y) n}. */
    private double probability(double[] dz, int[] labels, int i, int j) {
        return dz[i * classes + j] * labels.length + (labels[i] == j ? 1 : 0);
    }
}
