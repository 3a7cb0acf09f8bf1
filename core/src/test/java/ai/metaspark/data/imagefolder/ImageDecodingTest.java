package ai.metaspark.data.imagefolder;

import ai.metaspark.task.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PNG, JPEG, GIF and BMP files written by ImageIO at other sizes, in colour and in gray, read back as the configured
 * channels and side: known pixel values after conversion and resizing, within the format's loss.
 */
class ImageDecodingTest {
    private static final int SIDE = 28;
    private static final int[] LEFT = {200, 100, 50};
    private static final int[] RIGHT = {20, 220, 120};
    @TempDir
    Path tmp;

    /** The image {@code image} as the only image of a folder, read as {@code channels} x 28 x 28, values in [0, 1]. */
    private double[] readBack(BufferedImage image, String format, int channels) {
        Path root = tmp.resolve(format + "-" + image.getWidth() + "x" + image.getHeight() + "-" + image.getType() + "-" + channels);
        ImageFolders.write(root, "only", "image." + format, image, format);
        byte[] b = ImageFolderDataset.load(root.toString(), new ImageShape(SIDE, channels)).image(0, 0);
        double[] v = new double[b.length];
        for (int i = 0; i < b.length; i++) v[i] = (b[i] & 0xFF) / 255.0;
        return v;
    }

    /** Left half one colour, right half another: pixels (row 14, column 3) and (row 14, column 24) lie well inside. */
    @ParameterizedTest(name = "{0} {1}x{2}")
    @CsvSource({"png, 60, 44", "png, 10, 12", "jpeg, 64, 40", "jpeg, 12, 10", "gif, 60, 44", "gif, 10, 12",
            "bmp, 60, 44", "bmp, 10, 12"})
    void colourImagesGiveTheirRgbAndTheirLuminance(String format, int w, int h) {
        BufferedImage image = ImageFolders.rgb(w, h, (x, y) -> x < w / 2 ? rgb(LEFT) : rgb(RIGHT));
        double tolerance = format.equals("jpeg") ? 0.04 : 0.6 / 255;
        double[] rgb = readBack(image, format, 3);
        for (int ch = 0; ch < 3; ch++) {
            assertEquals(LEFT[ch] / 255.0, rgb[ch * SIDE * SIDE + 14 * SIDE + 3], tolerance, format + " channel " + ch);
            assertEquals(RIGHT[ch] / 255.0, rgb[ch * SIDE * SIDE + 14 * SIDE + 24], tolerance, format + " channel " + ch);
        }
        double[] gray = readBack(image, format, 1);
        assertEquals(luminance(LEFT), gray[14 * SIDE + 3], tolerance, format + " luminance");
        assertEquals(luminance(RIGHT), gray[14 * SIDE + 24], tolerance, format + " luminance");
    }

    /** Gray files keep their stored levels (Java would brighten them as linear gray), in every channel. */
    @ParameterizedTest(name = "{0} {1}x{2}")
    @CsvSource({"png, 50, 30", "jpeg, 48, 32", "gif, 50, 30", "bmp, 9, 11"})
    void grayImagesKeepTheirLevels(String format, int w, int h) {
        BufferedImage image = ImageFolders.gray(w, h, (x, y) -> x < w / 2 ? 180 : 40);
        double tolerance = format.equals("jpeg") ? 0.03 : 0.6 / 255;
        double[] gray = readBack(image, format, 1);
        assertEquals(180 / 255.0, gray[14 * SIDE + 3], tolerance, format);
        assertEquals(40 / 255.0, gray[14 * SIDE + 24], tolerance, format);
        double[] rgb = readBack(image, format, 3);
        for (int ch = 0; ch < 3; ch++) assertEquals(180 / 255.0, rgb[ch * SIDE * SIDE + 14 * SIDE + 3], tolerance, format);
    }

    @Test
    void sixteenBitGrayIsScaledByItsDepth() {
        BufferedImage image = new BufferedImage(30, 30, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 30; x++) image.getRaster().setSample(x, y, 0, 30_000);
        assertEquals(30_000 / 65_535.0, readBack(image, "png", 1)[100], 0.5 / 255);
    }

    @Test
    void aOneBitPaletteImageIsReadThroughItsPalette() {
        BufferedImage image = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < 56; y++) for (int x = 0; x < 56; x++) image.getRaster().setSample(x, y, 0, x < 28 ? 0 : 1);
        double[] v = readBack(image, "png", 1);
        assertEquals(0.0, v[14 * SIDE + 3], 0.0);
        assertEquals(1.0, v[14 * SIDE + 24], 0.0);
    }

    /**
     * Area averaging of a ramp gives the ramp at each output cell's centre, {@code x = (j + 0.5) w / 28 - 0.5}; so does
     * bilinear interpolation when the image grows (away from the clamped edges).
     */
    @ParameterizedTest(name = "width {0}")
    @CsvSource({"105, 2", "14, 15"})
    void aRampIsSampledAtTheCellCentres(int w, int slope) {
        double[] v = readBack(ImageFolders.gray(w, 20, (x, y) -> slope * x), "png", 1);
        for (int j = 1; j < SIDE - 1; j++) {
            double x = (j + 0.5) * w / SIDE - 0.5;
            assertEquals(slope * x / 255, v[5 * SIDE + j], 0.51 / 255, "column " + j);
        }
    }

    private static int rgb(int[] c) {
        return c[0] << 16 | c[1] << 8 | c[2];
    }

    private static double luminance(int[] c) {
        return (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255;
    }
}
