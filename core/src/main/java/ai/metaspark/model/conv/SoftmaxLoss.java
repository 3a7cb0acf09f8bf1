package ai.metaspark.model.conv;

/** The softmax cross-entropy of logits against class labels: the one loss every classification head uses. */
public final class SoftmaxLoss {
    private SoftmaxLoss() {
    }

    /**
     * Mean cross-entropy of logits {@code z [n, classes]} (row-major) for {@code labels} (n = labels.length), computed
     * stably (log-sum-exp after subtracting each row's max); when {@code dz} is not null, writes the gradient of the
     * mean with respect to the logits into it.
     *
     * @throws IllegalArgumentException for a label outside {@code 0..classes-1}
     */
    public static double crossEntropy(double[] z, int[] labels, int classes, double[] dz) {
        int n = labels.length;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " at " + i + " is outside 0.." + (classes - 1));
            }
            int o = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) max = Math.max(max, z[o + j]);
            double sum = 0;
            for (int j = 0; j < classes; j++) sum += Math.exp(z[o + j] - max);
            loss += Math.log(sum) + max - z[o + labels[i]];
            if (dz != null) {
                for (int j = 0; j < classes; j++) dz[o + j] = (Math.exp(z[o + j] - max) / sum - (j == labels[i] ? 1 : 0)) / n;
            }
        }
        return loss / n;
    }
}
