package ai.metaspark.algo;

import ai.metaspark.model.Learners;
import ai.metaspark.model.conv.SoftmaxLoss;

/**
 * The linear softmax head of {@link ai.metaspark.model.conv.Conv4Classifier} on fixed embeddings, in double: logits
 * {@code z = E W + b} ({@code W[emb, classes]} row-major, then {@code b[classes]}, as in the classifier's layout from
 * its head offset), mean cross-entropy, its gradient, and its exact Hessian-vector product. ANIL's inner loop and its
 * second-order term run on this alone.
 */
final class SoftmaxHead {
    private final int emb;
    private final int classes;

    SoftmaxHead(int emb, int classes) {
        this.emb = emb;
        this.classes = classes;
    }

    int size() {
        return emb * classes + classes;
    }

    /** Logits {@code [n, classes]} of head {@code h} on embeddings {@code e [n, emb]}. */
    double[] logits(double[] h, double[] e, int n) {
        double[] z = new double[n * classes];
        int bias = emb * classes;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < classes; j++) z[i * classes + j] = h[bias + j];
            for (int k = 0; k < emb; k++) {
                double ek = e[i * emb + k];
                for (int j = 0; j < classes; j++) z[i * classes + j] += ek * h[k * classes + j];
            }
        }
        return z;
    }

    /** Softmax of each row of {@code z}, in place. */
    double[] softmax(double[] z, int n) {
        for (int i = 0; i < n; i++) {
            int o = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) max = Math.max(max, z[o + j]);
            double sum = 0;
            for (int j = 0; j < classes; j++) sum += (z[o + j] = Math.exp(z[o + j] - max));
            for (int j = 0; j < classes; j++) z[o + j] /= sum;
        }
        return z;
    }

    /** Mean cross-entropy of {@code z}; writes {@code dL/dz} into {@code dz} when it is not null. */
    double crossEntropy(double[] z, int[] labels, double[] dz) {
        return SoftmaxLoss.crossEntropy(z, labels, classes, dz);
    }

    /** Fraction of rows whose largest logit is the label. */
    double accuracy(double[] z, int[] labels) {
        return Learners.labelAccuracy(z, labels, classes);
    }

    /** Gradient wrt the head of a loss with logit gradient {@code dz}: {@code dW = E^T dz}, {@code db = sum dz}. */
    double[] gradient(double[] e, double[] dz, int n) {
        double[] g = new double[size()];
        int bias = emb * classes;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < emb; k++) {
                double ek = e[i * emb + k];
                for (int j = 0; j < classes; j++) g[k * classes + j] += ek * dz[i * classes + j];
            }
            for (int j = 0; j < classes; j++) g[bias + j] += dz[i * classes + j];
        }
        return g;
    }

    /** Gradient wrt the embeddings: {@code dE = dz W^T}. */
    double[] embeddingGradient(double[] h, double[] dz, int n) {
        double[] de = new double[n * emb];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < emb; k++) {
                double s = 0;
                for (int j = 0; j < classes; j++) s += dz[i * classes + j] * h[k * classes + j];
                de[i * emb + k] = s;
            }
        }
        return de;
    }

    /**
     * Exact Hessian-vector product of the mean cross-entropy wrt the head at {@code h}: with {@code p = softmax(z)}
     * and {@code u = E V_W + v_b} (the logits' directional derivative), {@code dz' = (p . u - p (p . u)) / n} per row
     * and {@code Hv = gradient(E, dz')}.
     */
    double[] hessianVector(double[] h, double[] e, int n, double[] v) {
        double[] p = softmax(logits(h, e, n), n);
        double[] u = logits(v, e, n);
        double[] dz = new double[n * classes];
        for (int i = 0; i < n; i++) {
            int o = i * classes;
            double pu = 0;
            for (int j = 0; j < classes; j++) pu += p[o + j] * u[o + j];
            for (int j = 0; j < classes; j++) dz[o + j] = p[o + j] * (u[o + j] - pu) / n;
        }
        return gradient(e, dz, n);
    }
}
