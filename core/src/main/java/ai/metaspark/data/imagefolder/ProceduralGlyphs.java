package ai.metaspark.data.imagefolder;

import ai.metaspark.task.Seeds;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.QuadCurve2D;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/**
 * Made-up handwriting for the example image folder when Omniglot is not at hand: each class is two to four curved
 * strokes drawn from its seed; each image of the class draws them again with its own jitter of every control point,
 * pen width, a small turn, scale and shift, and pixel noise, black ink on white, {@value #SIDE}x{@value #SIDE} gray.
 */
final class ProceduralGlyphs {
    static final int SIDE = 56;
    private static final double JITTER = 0.035;
    private static final double NOISE = 0.06;

    private ProceduralGlyphs() {
    }

    /** Image {@code image} of class {@code cls} of the glyph set {@code seed}, as PNG bytes. */
    static byte[] png(long seed, int cls, int image) {
        double[][] strokes = strokes(new SplittableRandom(Seeds.derive(seed, cls)));
        BufferedImage drawn = draw(strokes, new SplittableRandom(Seeds.derive(seed, cls, image)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(drawn, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A class's strokes: each a quadratic curve (start, control, end point) in the unit square's central part. */
    private static double[][] strokes(SplittableRandom rng) {
        double[][] strokes = new double[2 + rng.nextInt(3)][6];
        for (double[] s : strokes) {
            for (int k = 0; k < 6; k++) s[k] = 0.15 + 0.7 * rng.nextDouble();
        }
        return strokes;
    }

    private static BufferedImage draw(double[][] strokes, SplittableRandom rng) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIDE, SIDE);
        g.setTransform(pose(rng));
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke((float) (2.5 + 2 * rng.nextDouble()), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (double[] s : strokes) {
            double[] p = new double[6];
            for (int k = 0; k < 6; k++) p[k] = SIDE * (s[k] + JITTER * rng.nextGaussian());
            g.draw(new QuadCurve2D.Double(p[0], p[1], p[2], p[3], p[4], p[5]));
        }
        g.dispose();
        addNoise(image.getRaster(), rng);
        return image;
    }

    /** A small random turn (up to 10 degrees), scale (0.9 to 1.1) and shift (up to 2 pixels) about the centre. */
    private static AffineTransform pose(SplittableRandom rng) {
        AffineTransform t = new AffineTransform();
        t.translate(SIDE / 2.0 + 4 * rng.nextDouble() - 2, SIDE / 2.0 + 4 * rng.nextDouble() - 2);
        t.rotate(Math.toRadians(20 * rng.nextDouble() - 10));
        double scale = 0.9 + 0.2 * rng.nextDouble();
        t.scale(scale, scale);
        t.translate(-SIDE / 2.0, -SIDE / 2.0);
        return t;
    }

    private static void addNoise(WritableRaster raster, SplittableRandom rng) {
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double v = raster.getSample(x, y, 0) / 255.0 + NOISE * rng.nextGaussian();
                raster.setSample(x, y, 0, (int) Math.round(255 * Math.min(1, Math.max(0, v))));
            }
        }
    }
}
