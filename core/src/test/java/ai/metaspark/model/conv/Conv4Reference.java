package ai.metaspark.model.conv;

/**
 * A plain, double-precision Conv-4 forward pass written from the definitions (no oneDNN), for the tests: the
 * finite differences of its outputs are the reference gradients. {@code frozen} replaces the batch statistics by
 * given per-block means and variances (treated as constants), to show a test can tell the two apart.
 */
final class Conv4Reference {
    private final Conv4Spec spec;
    /** Per block: per-channel batch mean and variance of the last {@link #embed} call. */
    final double[][] mean;
    final double[][] var;

    Conv4Reference(Conv4Spec spec) {
        this.spec = spec;
        this.mean = new double[spec.blocks()][];
        this.var = new double[spec.blocks()][];
    }

    /** Embeddings [n, embeddingSize]; {@code frozen} may hold statistics to use instead of the batch's own. */
    double[] embed(double[] p, double[] x, int n, Conv4Reference frozen) {
        double[] a = x;
        for (int b = 0; b < spec.blocks(); b++) {
            double[] y = conv(b, p, a, n);
            batchNormRelu(b, p, y, n, frozen);
            a = spec.variant() == Conv4Spec.Variant.POOL ? maxPool(y, n, spec.convOut(b)) : y;
        }
        return spec.variant() == Conv4Spec.Variant.POOL ? a : spatialMean(a, n);
    }

    private double[] conv(int b, double[] p, double[] in, int n) {
        int cin = spec.inChannels(b), c = spec.filters(), h = spec.spatialIn(b), ho = spec.convOut(b);
        int s = spec.stride(), pad = spec.padBefore(b), w0 = spec.weightOffset(b);
        double[] y = new double[n * c * ho * ho];
        for (int i = 0; i < n; i++) {
            for (int co = 0; co < c; co++) {
                for (int r = 0; r < ho; r++) {
                    for (int q = 0; q < ho; q++) {
                        double sum = 0;
                        for (int ci = 0; ci < cin; ci++) {
                            for (int kr = 0; kr < 3; kr++) {
                                int ir = r * s - pad + kr;
                                if (ir < 0 || ir >= h) continue;
                                for (int kq = 0; kq < 3; kq++) {
                                    int iq = q * s - pad + kq;
                                    if (iq < 0 || iq >= h) continue;
                                    sum += p[w0 + ((co * cin + ci) * 3 + kr) * 3 + kq] * in[((i * cin + ci) * h + ir) * h + iq];
                                }
                            }
                        }
                        y[((i * c + co) * ho + r) * ho + q] = sum;
                    }
                }
            }
        }
        return y;
    }

    private void batchNormRelu(int b, double[] p, double[] y, int n, Conv4Reference frozen) {
        int c = spec.filters(), hw = spec.convOut(b) * spec.convOut(b);
        mean[b] = new double[c];
        var[b] = new double[c];
        for (int co = 0; co < c; co++) {
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) m += y[(i * c + co) * hw + k];
            m /= (double) n * hw;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) v += Math.pow(y[(i * c + co) * hw + k] - m, 2);
            v /= (double) n * hw;
            mean[b][co] = m;
            var[b][co] = v;
            if (frozen != null) {
                m = frozen.mean[b][co];
                v = frozen.var[b][co];
            }
            double g = p[spec.gammaOffset(b) + co], be = p[spec.betaOffset(b) + co], inv = 1 / Math.sqrt(v + Conv4Spec.BN_EPS);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < hw; k++) {
                    int id = (i * c + co) * hw + k;
                    y[id] = Math.max(0, g * (y[id] - m) * inv + be);
                }
            }
        }
    }

    private double[] maxPool(double[] y, int n, int h) {
        int c = spec.filters(), ho = h / 2;
        double[] o = new double[n * c * ho * ho];
        for (int i = 0; i < n * c; i++) {
            for (int r = 0; r < ho; r++) {
                for (int q = 0; q < ho; q++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int dr = 0; dr < 2; dr++) for (int dq = 0; dq < 2; dq++) m = Math.max(m, y[(i * h + 2 * r + dr) * h + 2 * q + dq]);
                    o[(i * ho + r) * ho + q] = m;
                }
            }
        }
        return o;
    }

    private double[] spatialMean(double[] a, int n) {
        int c = spec.filters(), hw = spec.spatialIn(spec.blocks()) * spec.spatialIn(spec.blocks());
        double[] e = new double[n * c];
        for (int i = 0; i < n * c; i++) {
            for (int k = 0; k < hw; k++) e[i] += a[i * hw + k] / hw;
        }
        return e;
    }

    /** Mean softmax cross-entropy of the linear head {@code W[emb, classes]} (row-major), {@code b[classes]}. */
    static double crossEntropy(double[] e, double[] p, int headOffset, int emb, int classes, int[] labels) {
        double loss = 0;
        int n = labels.length;
        for (int i = 0; i < n; i++) {
            double[] z = new double[classes];
            for (int j = 0; j < classes; j++) {
                z[j] = p[headOffset + emb * classes + j];
                for (int k = 0; k < emb; k++) z[j] += e[i * emb + k] * p[headOffset + k * classes + j];
            }
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (double v : z) max = Math.max(max, v);
            for (double v : z) sum += Math.exp(v - max);
            loss += Math.log(sum) + max - z[labels[i]];
        }
        return loss / n;
    }
}
