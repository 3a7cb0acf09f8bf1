package ai.metaspark.data.omniglot;

import ai.metaspark.data.AxisWeights;
import ai.metaspark.data.DataException;
import ai.metaspark.data.Pixels;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Image operations on Omniglot glyphs: PNG decoding to ink coverage, the exact area-averaging resize from 105x105 to
 * 28x28 ({@link AxisWeights}), and the four 90-degree rotations as index permutations ({@link Pixels#quarterTurns}).
 */
final class Glyphs {
    static final int SOURCE_SIDE = 105;
    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;
    /** Along each axis, area averaging from 105 pixels to 28. */
    private static final AxisWeights WEIGHTS = AxisWeights.of(SOURCE_SIDE, SIDE);
    /** {@code TURNS[t][i]}: the source index of pixel i of an image turned t quarter turns counterclockwise. */
    private static final int[][] TURNS = Pixels.quarterTurns(SIDE);

    private Glyphs() {
    }

    /** A PNG reader, to be reused for many images by one thread (looking one up per image is slow). */
    static ImageReader pngReader() {
        return ImageIO.getImageReadersByFormatName("png").next();
    }

    /** Decodes a 105x105 one-channel PNG to ink coverage in [0, 1] (black = 1, white = 0), row-major. */
    static double[] decodeInk(byte[] png, String where) {
        ImageReader reader = pngReader();
        try {
            return decodeInk(reader, png, where);
        } finally {
            reader.dispose();
        }
    }

    /** As {@link #decodeInk(byte[], String)}, with {@code reader}. */
    static double[] decodeInk(ImageReader reader, byte[] png, String where) {
        BufferedImage image = read(reader, png, where);
        if (image.getWidth() != SOURCE_SIDE || image.getHeight() != SOURCE_SIDE) {
            throw new DataException(where + ": image is " + image.getWidth() + "x" + image.getHeight()
                    + ", expected " + SOURCE_SIDE + "x" + SOURCE_SIDE);
        }
        Raster raster = image.getRaster();
        if (raster.getNumBands() != 1) {
            throw new DataException(where + ": image has " + raster.getNumBands() + " channels, expected 1 (grayscale)");
        }
        double[] inkOf = inkBySample(image, where);
        int[] samples = raster.getPixels(0, 0, SOURCE_SIDE, SOURCE_SIDE, (int[]) null);
        double[] ink = new double[samples.length];
        for (int i = 0; i < samples.length; i++) ink[i] = inkOf[samples[i]];
        return ink;
    }

    /** Ink for each possible sample value: 1 - gray level, through the palette if the PNG has one. */
    private static double[] inkBySample(BufferedImage image, String where) {
        int bits = image.getRaster().getSampleModel().getSampleSize(0);
        if (bits > 16) throw new DataException(where + ": " + bits + "-bit samples, expected at most 16");
        double[] ink = new double[1 << bits];
        ColorModel colors = image.getColorModel();
        for (int v = 0; v < ink.length; v++) {
            ink[v] = colors instanceof IndexColorModel palette && v < palette.getMapSize()
                    ? 1 - (299 * palette.getRed(v) + 587 * palette.getGreen(v) + 114 * palette.getBlue(v)) / 255_000.0
                    : 1 - v / (double) (ink.length - 1);
        }
        return ink;
    }

    private static BufferedImage read(ImageReader reader, byte[] png, String where) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
            reader.setInput(in, true, true);
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw new DataException(where + ": corrupt image: " + e.getMessage(), e);
        }
    }

    /**
     * Area averaging (a box filter over fractional pixel coverage): each of the 28x28 output cells covers a
     * 3.75x3.75 square of the source, and its value is the mean of the source over that square. Total mass is
     * preserved up to the factor (105/28)^2.
     */
    static double[] downsample(double[] source) {
        double[] rows = new double[SOURCE_SIDE * SIDE];          // along x first: 105 rows of 28 columns
        for (int y = 0; y < SOURCE_SIDE; y++) WEIGHTS.apply(source, y * SOURCE_SIDE, 1, rows, y * SIDE, 1);
        double[] out = new double[PIXELS];
        for (int x = 0; x < SIDE; x++) WEIGHTS.apply(rows, x, SIDE, out, x, SIDE);
        return out;
    }

    /** The source index of pixel {@code i} of a 28x28 image turned {@code quarterTurns} times counterclockwise. */
    static int turnedSource(int quarterTurns, int i) {
        return TURNS[quarterTurns][i];
    }

    /** {@code image} (28x28) turned {@code quarterTurns} times 90 degrees counterclockwise. */
    static byte[] turn(byte[] image, int quarterTurns) {
        byte[] out = new byte[PIXELS];
        for (int i = 0; i < PIXELS; i++) out[i] = image[TURNS[quarterTurns][i]];
        return out;
    }
}
