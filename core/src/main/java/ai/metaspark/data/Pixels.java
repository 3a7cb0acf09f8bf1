package ai.metaspark.data;

/** Operations on decoded images shared by the image families: one byte per value, and exact quarter turns. */
public final class Pixels {
    private Pixels() {
    }

    /** Values in [0, 1] to bytes 0..255, rounded to nearest (values outside are clamped). */
    public static byte[] quantize(double[] values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) Math.round(255 * Math.min(1, Math.max(0, values[i])));
        return out;
    }

    /**
     * {@code turns[t][i]}: the source pixel of pixel i (row-major, one plane of {@code side x side}) of an image turned
     * t quarter turns counterclockwise (numpy's {@code rot90}, PIL's {@code rotate(90)}): one turn takes output (r, c)
     * from input (c, side-1-r). A turn is a permutation of the pixels, so it is exact.
     */
    public static int[][] quarterTurns(int side) {
        int[][] turns = new int[4][side * side];
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                int i = r * side + c;
                turns[0][i] = i;
                turns[1][i] = c * side + (side - 1 - r);
                turns[2][i] = (side - 1 - r) * side + (side - 1 - c);
                turns[3][i] = (side - 1 - c) * side + r;
            }
        }
        return turns;
    }
}
