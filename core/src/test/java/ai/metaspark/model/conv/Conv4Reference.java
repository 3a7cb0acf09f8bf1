package ai.metaspark.model.conv;

import java.util.Arrays;

/**
 * A plain, double-precision Conv-4 classifier written from the definitions (no oneDNN), for the tests: forward pass
 * ({@link #embed}, {@link #loss}) and an exact hand-written reverse-mode backward pass ({@link #gradient}) of the
 * conv network, the linear head and the mean softmax cross-entropy of {@link Conv4Classifier}. {@code frozen}
 * replaces the batch statistics by given per-block means and variances (treated as constants), to show a test can
 * tell the two apart; the backward pass always differentiates through the batch's own statistics.
 *
 * <p>Keeps the activations of the last {@link #embed} call: one instance per thread.
 */
final class Conv4Reference {
    private final Conv4Spec spec;
    /** Per block: per-channel batch mean and variance of the last {@link #embed} call. */
    final double[][] mean;
    final double[][] var;
    /** Per block, from the last {@link #embed}: block input, normalised conv output, 1/sqrt(var+eps), ReLU output. */
    private final double[][] input;
    private final double[][] xhat;
    private final double[][] invStd;
    private final double[][] relu;

    Conv4Reference(Conv4Spec spec) {
        this.spec = spec;
        int blocks = spec.blocks();
        this.mean = new double[blocks][];
        this.var = new double[blocks][];
        this.input = new double[blocks][];
        this.xhat = new double[blocks][];
        this.invStd = new double[blocks][];
        this.relu = new double[blocks][];
    }

    // ------------------------------------------------------------------ forward

    /** Embeddings [n, embeddingSize]; {@code frozen} may hold statistics to use instead of the batch's own. */
    double[] embed(double[] p, double[] x, int n, Conv4Reference frozen) {
        double[] a = x;
        for (int b = 0; b < spec.blocks(); b++) {
            input[b] = a;
            double[] y = conv(b, p, a, n);
            batchNormRelu(b, p, y, n, frozen);
            a = pool() ? maxPool(y, n, spec.convOut(b)) : y;
        }
        return pool() ? a : spatialMean(a, n);
    }

    /** Mean cross-entropy of the full classifier vector {@code p} (conv, head W, head bias) on {@code n} images. */
    double loss(double[] p, double[] x, int n, int[] labels, int classes) {
        checkShapes(p, x, n, labels, classes);
        return crossEntropy(embed(p, x, n, null), p, spec.numParams(), spec.embeddingSize(), classes, labels);
    }

    /** Logits [n, classes] of the full classifier vector {@code p}. */
    double[] predict(double[] p, double[] x, int n, int classes) {
        return logits(embed(p, x, n, null), p, n, classes);
    }

    private boolean pool() {
        return spec.variant() == Conv4Spec.Variant.POOL;
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

    /** In place: y becomes max(0, gamma * (y - mean) / sqrt(var + eps) + beta); records xhat and the statistics. */
    private void batchNormRelu(int b, double[] p, double[] y, int n, Conv4Reference frozen) {
        int c = spec.filters(), hw = spec.convOut(b) * spec.convOut(b);
        mean[b] = new double[c];
        var[b] = new double[c];
        invStd[b] = new double[c];
        xhat[b] = new double[y.length];
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
            invStd[b][co] = inv;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < hw; k++) {
                    int id = (i * c + co) * hw + k;
                    xhat[b][id] = (y[id] - m) * inv;
                    y[id] = Math.max(0, g * xhat[b][id] + be);
                }
            }
        }
        relu[b] = y;
    }

    private double[] maxPool(double[] y, int n, int h) {
        int c = spec.filters(), ho = h / 2;
        double[] o = new double[n * c * ho * ho];
        for (int i = 0; i < n * c; i++) {
            for (int r = 0; r < ho; r++) {
                for (int q = 0; q < ho; q++) {
                    o[(i * ho + r) * ho + q] = y[argmax2x2(y, i, h, r, q)];
                }
            }
        }
        return o;
    }

    /** Index in {@code y} of the first maximum (scan order) of the 2x2 window (r, q) of plane {@code plane}. */
    private static int argmax2x2(double[] y, int plane, int h, int r, int q) {
        int best = -1;
        for (int dr = 0; dr < 2; dr++) {
            for (int dq = 0; dq < 2; dq++) {
                int id = (plane * h + 2 * r + dr) * h + 2 * q + dq;
                if (best < 0 || y[id] > y[best]) best = id;
            }
        }
        return best;
    }

    private double[] spatialMean(double[] a, int n) {
        int c = spec.filters(), hw = lastHw();
        double[] e = new double[n * c];
        for (int i = 0; i < n * c; i++) {
            for (int k = 0; k < hw; k++) e[i] += a[i * hw + k] / hw;
        }
        return e;
    }

    private int lastHw() {
        int h = spec.spatialIn(spec.blocks());
        return h * h;
    }

    /** Logits [n, classes] of embeddings {@code e} under the head of {@code p} (at {@code spec.numParams()}). */
    private double[] logits(double[] e, double[] p, int n, int classes) {
        int emb = spec.embeddingSize(), w = spec.numParams(), bias = w + emb * classes;
        double[] z = new double[n * classes];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < classes; j++) {
                double s = p[bias + j];
                for (int k = 0; k < emb; k++) s += e[i * emb + k] * p[w + k * classes + j];
                z[i * classes + j] = s;
            }
        }
        return z;
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

    // ----------------------------------------------------------------- backward

    /**
     * Writes d(mean cross-entropy)/dp into {@code grad} (length of {@code p}: conv parameters, head W, head bias;
     * overwritten) by reverse-mode backprop through the head, the spatial mean or the last max-pool, and every block's
     * ReLU, batch norm (through the batch mean and variance) and convolution. Returns the loss.
     */
    double gradient(double[] p, double[] x, int n, int[] labels, int classes, double[] grad) {
        checkShapes(p, x, n, labels, classes);
        if (grad.length != p.length) {
            throw new IllegalArgumentException("grad has length " + grad.length + ", expected " + p.length);
        }
        Arrays.fill(grad, 0.0);
        double[] e = embed(p, x, n, null);
        double[] dz = new double[n * classes];
        double loss = softmaxBackward(logits(e, p, n, classes), labels, classes, dz);
        double[] de = headBackward(e, p, dz, n, classes, grad);
        embedBackward(p, de, n, grad);
        return loss;
    }

    /** Mean cross-entropy of logits {@code z}; writes its gradient (softmax - one-hot) / n into {@code dz}. */
    private static double softmaxBackward(double[] z, int[] labels, int classes, double[] dz) {
        int n = labels.length;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < classes; j++) max = Math.max(max, z[row + j]);
            for (int j = 0; j < classes; j++) sum += Math.exp(z[row + j] - max);
            loss += Math.log(sum) + max - z[row + labels[i]];
            for (int j = 0; j < classes; j++) dz[row + j] = Math.exp(z[row + j] - max) / sum / n;
            dz[row + labels[i]] -= 1.0 / n;
        }
        return loss / n;
    }

    /** Accumulates the head gradient into {@code grad}; returns the embedding gradient [n, emb]. */
    private double[] headBackward(double[] e, double[] p, double[] dz, int n, int classes, double[] grad) {
        int emb = spec.embeddingSize(), w = spec.numParams(), bias = w + emb * classes;
        double[] de = new double[n * emb];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < classes; j++) {
                double d = dz[i * classes + j];
                grad[bias + j] += d;
                for (int k = 0; k < emb; k++) {
                    grad[w + k * classes + j] += e[i * emb + k] * d;
                    de[i * emb + k] += p[w + k * classes + j] * d;
                }
            }
        }
        return de;
    }

    /** Backward of the last {@link #embed} (batch statistics): adds the conv-parameter gradient into {@code grad}. */
    private void embedBackward(double[] p, double[] de, int n, double[] grad) {
        double[] da = pool() ? de : spatialMeanBackward(de, n);
        for (int b = spec.blocks() - 1; b >= 0; b--) {
            double[] dr = pool() ? maxPoolBackward(relu[b], da, n, spec.convOut(b)) : da;
            double[] dy = batchNormReluBackward(b, p, dr, n, grad);
            da = convBackward(b, p, dy, n, grad, b > 0);
        }
    }

    private double[] spatialMeanBackward(double[] de, int n) {
        int c = spec.filters(), hw = lastHw();
        double[] da = new double[n * c * hw];
        for (int i = 0; i < n * c; i++) {
            for (int k = 0; k < hw; k++) da[i * hw + k] = de[i] / hw;
        }
        return da;
    }

    /** Routes each pooled gradient to the (first) argmax of its window. */
    private double[] maxPoolBackward(double[] y, double[] dOut, int n, int h) {
        int c = spec.filters(), ho = h / 2;
        double[] dy = new double[y.length];
        for (int i = 0; i < n * c; i++) {
            for (int r = 0; r < ho; r++) {
                for (int q = 0; q < ho; q++) {
                    dy[argmax2x2(y, i, h, r, q)] += dOut[(i * ho + r) * ho + q];
                }
            }
        }
        return dy;
    }

    /**
     * Backward of ReLU and batch norm over the batch statistics of block {@code b}: adds dgamma, dbeta into
     * {@code grad} and returns the gradient of the conv output. With {@code M = n * hw} and {@code dxhat = gamma * dpre},
     * {@code dy = invStd / M * (M dxhat - sum dxhat - xhat * sum(dxhat * xhat))} (biased variance).
     */
    private double[] batchNormReluBackward(int b, double[] p, double[] dr, int n, double[] grad) {
        int c = spec.filters(), hw = spec.convOut(b) * spec.convOut(b);
        double count = (double) n * hw;
        double[] xh = xhat[b], out = relu[b];
        double[] dy = new double[dr.length];
        for (int co = 0; co < c; co++) {
            double g = p[spec.gammaOffset(b) + co], dGamma = 0, dBeta = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < hw; k++) {
                    int id = (i * c + co) * hw + k;
                    double dPre = out[id] > 0 ? dr[id] : 0;
                    dGamma += dPre * xh[id];
                    dBeta += dPre;
                    dy[id] = g * dPre;                      // dxhat for now
                }
            }
            grad[spec.gammaOffset(b) + co] += dGamma;
            grad[spec.betaOffset(b) + co] += dBeta;
            double sum = g * dBeta, sumXh = g * dGamma;       // sum dxhat, sum dxhat * xhat
            double inv = invStd[b][co];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < hw; k++) {
                    int id = (i * c + co) * hw + k;
                    dy[id] = inv * (dy[id] - sum / count - xh[id] * sumXh / count);
                }
            }
        }
        return dy;
    }

    /** Adds dW of block {@code b} into {@code grad}; returns the input gradient if {@code needInput}, else null. */
    private double[] convBackward(int b, double[] p, double[] dy, int n, double[] grad, boolean needInput) {
        int cin = spec.inChannels(b), c = spec.filters(), h = spec.spatialIn(b), ho = spec.convOut(b);
        int s = spec.stride(), pad = spec.padBefore(b), w0 = spec.weightOffset(b);
        double[] in = input[b];
        double[] din = needInput ? new double[in.length] : null;
        for (int i = 0; i < n; i++) {
            for (int co = 0; co < c; co++) {
                for (int r = 0; r < ho; r++) {
                    for (int q = 0; q < ho; q++) {
                        double d = dy[((i * c + co) * ho + r) * ho + q];
                        for (int ci = 0; ci < cin; ci++) {
                            for (int kr = 0; kr < 3; kr++) {
                                int ir = r * s - pad + kr;
                                if (ir < 0 || ir >= h) continue;
                                for (int kq = 0; kq < 3; kq++) {
                                    int iq = q * s - pad + kq;
                                    if (iq < 0 || iq >= h) continue;
                                    int wi = w0 + ((co * cin + ci) * 3 + kr) * 3 + kq, xi = ((i * cin + ci) * h + ir) * h + iq;
                                    grad[wi] += d * in[xi];
                                    if (needInput) din[xi] += d * p[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return din;
    }

    private void checkShapes(double[] p, double[] x, int n, int[] labels, int classes) {
        int expected = spec.numParams() + spec.embeddingSize() * classes + classes;
        if (p.length != expected || x.length != n * spec.inputSize() || labels.length != n) {
            throw new IllegalArgumentException("expected " + expected + " params, " + n * spec.inputSize() + " inputs, "
                    + n + " labels; got " + p.length + ", " + x.length + ", " + labels.length);
        }
    }
}
