package ai.metaspark.data;

/**
 * Resampling weights along one axis, from {@code from} pixels to {@code to}: output pixel j is the weighted sum of
 * source pixels {@code first[j] ..} with {@code weights[j]}, which sum to 1. Shrinking is area averaging (each output
 * pixel is the mean of the source span it covers, a partly covered source pixel weighted by the covered part: PIL's
 * BOX, OpenCV's INTER_AREA); growing is bilinear interpolation between pixel centres (edges clamped). Applied along x
 * and then y, this resizes an image (Omniglot's 105 to 28, and every image of an image folder).
 */
public record AxisWeights(int[] first, double[][] weights) {

    /** The weights from {@code from} pixels to {@code to}: area averaging if {@code from >= to}, else bilinear. */
    public static AxisWeights of(int from, int to) {
        return from >= to ? area(from, to) : bilinear(from, to);
    }

    private static AxisWeights area(int from, int to) {
        double scale = (double) from / to;
        int[] first = new int[to];
        double[][] w = new double[to][];
        for (int j = 0; j < to; j++) {
            double lo = j * scale;
            double hi = lo + scale;
            first[j] = (int) Math.floor(lo);
            w[j] = new double[(int) Math.min(from, Math.ceil(hi)) - first[j]];
            for (int k = 0; k < w[j].length; k++) {
                int i = first[j] + k;
                w[j][k] = (Math.min(hi, i + 1) - Math.max(lo, i)) / scale;
            }
        }
        return new AxisWeights(first, w);
    }

    private static AxisWeights bilinear(int from, int to) {
        int[] first = new int[to];
        double[][] w = new double[to][];
        for (int j = 0; j < to; j++) {
            double x = Math.min(from - 1, Math.max(0, (j + 0.5) * from / to - 0.5));
            first[j] = Math.min((int) Math.floor(x), from - 1);
            double f = x - first[j];
            w[j] = first[j] == from - 1 ? new double[] {1} : new double[] {1 - f, f};
        }
        return new AxisWeights(first, w);
    }

    /** {@code dst[dstAt + j * dstStride] = sum_k weights[j][k] * src[srcAt + (first[j] + k) * srcStride]} for every j. */
    public void apply(double[] src, int srcAt, int srcStride, double[] dst, int dstAt, int dstStride) {
        for (int j = 0; j < first.length; j++) {
            double[] wj = weights[j];
            int at = srcAt + first[j] * srcStride;
            double sum = 0;
            for (int k = 0; k < wj.length; k++, at += srcStride) sum += wj[k] * src[at];
            dst[dstAt + j * dstStride] = sum;
        }
    }
}
