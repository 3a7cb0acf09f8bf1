package ai.metaspark.data.imagefolder;

import ai.metaspark.recipe.Recipe;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;

/** Image folders written with ImageIO for the tests. */
final class ImageFolders {
    static final int SIDE = 16;

    private ImageFolders() {
    }

    /** Writes {@code image} in {@code format} to {@code root/cls/file}. */
    static Path write(Path root, String cls, String file, BufferedImage image, String format) {
        try {
            Path dir = Files.createDirectories(root.resolve(cls));
            Path out = dir.resolve(file);
            if (!ImageIO.write(image, format, out.toFile())) throw new IllegalStateException("no ImageIO writer for " + format);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A w x h 8-bit gray image with sample {@code value(x, y)}. */
    static BufferedImage gray(int w, int h, IntBinaryOperator value) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) image.getRaster().setSample(x, y, 0, value.applyAsInt(x, y));
        }
        return image;
    }

    /** A w x h RGB image with colour {@code rgb(x, y)} (0xRRGGBB). */
    static BufferedImage rgb(int w, int h, IntBinaryOperator rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) image.setRGB(x, y, rgb.applyAsInt(x, y));
        }
        return image;
    }

    /** The gray level that codes image {@code i} of class {@code c} in {@link #coded}: distinct for up to 240 images. */
    static int code(int c, int i, int images) {
        return 10 + c * images + i;
    }

    /**
     * {@code classes} class folders {@code c00, c01...} of {@code images} PNGs each, image i of class c a uniform
     * {@value #SIDE}x{@value #SIDE} gray of level {@link #code}, so a batch row tells its class and image.
     */
    static Path coded(Path root, int classes, int images) {
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < images; i++) {
                int level = code(c, i, images);
                write(root, String.format("c%02d", c), String.format("%03d.png", i), gray(SIDE, SIDE, (x, y) -> level), "png");
            }
        }
        return root;
    }

    /** The class and image a row of a coded folder's batch shows: {@code {c, i}}. */
    static int[] decode(double[] x, int row, int images) {
        int k = (int) Math.round(x[row * SIDE * SIDE] * 255) - 10;
        return new int[] {k / images, k % images};
    }

    /** A recipe of task image-folder on {@code data}: 16x16 gray, 3-way 2-shot, 3 queries, ProtoNets. */
    static Recipe recipe(Path data, String... overrides) {
        return Recipe.defaults().with("task=image-folder", "data=" + data, "image_size=" + SIDE, "channels=1", "n_way=3",
                "k_shot=2", "k_query=3", "eval_query=3", "algorithm=protonet", "val_every=0").with(overrides);
    }
}
