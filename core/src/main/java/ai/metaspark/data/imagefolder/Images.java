package ai.metaspark.data.imagefolder;

import ai.metaspark.data.AxisWeights;
import ai.metaspark.data.DataException;
import ai.metaspark.data.Pixels;
import ai.metaspark.task.ImageShape;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Decoding with {@code javax.imageio} and conversion of one image to the family's {@link ImageShape}: intensities in
 * [0, 1] (0 = black) as red, green and blue planes or as luminance {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R
 * BT.601, as PIL's {@code convert("L")}), resized by {@link AxisWeights} to a square (the aspect ratio is not kept),
 * stored as one byte per value, channel-major then row-major. Gray images are read from their samples (scaled by
 * their bit depth), everything else through its colour model in sRGB; transparency is ignored, as torchvision's loader
 * ignores it.
 */
final class Images {
    /** The formats read; anything else (a README, .DS_Store, a TIFF) is not an image here. */
    static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "bmp");

    private Images() {
    }

    /**
     * The first image of {@code in}, or null when it is not a PNG, JPEG, GIF or BMP (told by its content, not its
     * name). A file in one of these formats that cannot be decoded raises {@link DataException} naming {@code where}.
     */
    static BufferedImage decode(ImageInputStream in, String where) {
        ImageReader reader = readerFor(in, where);
        if (reader == null) return null;
        try {
            reader.setInput(in, true, true);
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw new DataException(where + ": corrupt or unsupported " + format(reader) + " image: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader readerFor(ImageInputStream in, String where) {
        try {
            for (Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.hasNext(); ) {
                ImageReader reader = it.next();
                if (FORMATS.contains(format(reader))) return reader;
            }
            return null;
        } catch (RuntimeException e) {
            throw new DataException(where + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The reader's format in lower case: png, jpeg, gif, bmp, or another that is not read here. */
    private static String format(ImageReader reader) {
        return reader.getOriginatingProvider().getFormatNames()[0].toLowerCase(Locale.ROOT);
    }

    /** {@code image} converted and resized to {@code shape}, one byte (0..255) per value, CHW. */
    static byte[] convert(BufferedImage image, ImageShape shape) {
        return Pixels.quantize(resize(image, shape));
    }

    /** {@code image} as {@code shape.channels()} planes of {@code shape.side()}^2 intensities in [0, 1]. */
    static double[] resize(BufferedImage image, ImageShape shape) {
        int w = image.getWidth();
        int h = image.getHeight();
        int c = shape.channels();
        int side = shape.side();
        AxisWeights across = AxisWeights.of(w, side);
        AxisWeights down = AxisWeights.of(h, side);
        double[] row = new double[c * w];
        double[] rows = new double[c * h * side];           // every source row, resampled across
        for (int y = 0; y < h; y++) {
            readRow(image, y, c, row);
            for (int ch = 0; ch < c; ch++) across.apply(row, ch * w, 1, rows, (ch * h + y) * side, 1);
        }
        double[] out = new double[shape.inputSize()];
        for (int ch = 0; ch < c; ch++) {
            for (int x = 0; x < side; x++) down.apply(rows, ch * h * side + x, side, out, ch * side * side + x, side);
        }
        return out;
    }

    /** Row {@code y} as {@code channels} runs of {@code width} intensities in [0, 1]. */
    private static void readRow(BufferedImage image, int y, int channels, double[] row) {
        int w = image.getWidth();
        if (isGray(image)) {
            Raster raster = image.getRaster();
            double max = (1L << raster.getSampleModel().getSampleSize(0)) - 1;
            int[] samples = raster.getSamples(0, y, w, 1, 0, (int[]) null);
            for (int ch = 0; ch < channels; ch++) {
                for (int x = 0; x < w; x++) row[ch * w + x] = samples[x] / max;
            }
            return;
        }
        int[] argb = image.getRGB(0, y, w, 1, null, 0, w);
        for (int x = 0; x < w; x++) {
            double r = (argb[x] >> 16 & 0xFF) / 255.0;
            double g = (argb[x] >> 8 & 0xFF) / 255.0;
            double b = (argb[x] & 0xFF) / 255.0;
            if (channels == 1) {
                row[x] = 0.299 * r + 0.587 * g + 0.114 * b;
            } else {
                row[x] = r;
                row[w + x] = g;
                row[2 * w + x] = b;
            }
        }
    }

    /**
     * Whether the image holds gray samples without a palette. Java treats such samples as linear gray and would turn
     * them into brighter sRGB values; the stored samples are what the file means (and what PIL reads).
     */
    private static boolean isGray(BufferedImage image) {
        return !(image.getColorModel() instanceof IndexColorModel)
                && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

}
