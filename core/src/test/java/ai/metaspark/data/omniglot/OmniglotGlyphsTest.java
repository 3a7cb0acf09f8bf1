package ai.metaspark.data.omniglot;

import ai.metaspark.data.Pixels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The PNG decoding, area-averaging resize and quarter turns, on synthetic images. */
class OmniglotGlyphsTest {
    private static final double SCALE = 105.0 / 28;

    @Test
    void fullyBlackImageBecomesAllOnesAndWhiteAllZeros() throws Exception {
        double[] black = Glyphs.decodeInk(OmniglotTestData.png((x, y) -> true), "black");
        double[] white = Glyphs.decodeInk(OmniglotTestData.png((x, y) -> false), "white");
        double[] ones = new double[784];
        Arrays.fill(ones, 1);
        assertArrayEquals(ones, Glyphs.downsample(black), 1e-12);
        assertArrayEquals(new double[784], Glyphs.downsample(white), 0);
        byte[] full = Pixels.quantize(Glyphs.downsample(black));
        for (byte b : full) assertEquals(255, b & 0xFF);
    }

    @Test
    void decodingIsRowMajorWithInkOne() throws Exception {
        double[] ink = Glyphs.decodeInk(OmniglotTestData.png((x, y) -> x == 3 && y == 7), "dot");
        assertEquals(105 * 105, ink.length);
        assertEquals(1.0, ink[7 * 105 + 3]);
        assertEquals(1.0, Arrays.stream(ink).sum());
    }

    /**
     * Ink on columns 10..29 and rows 20..24. Cells span 3.75 pixels: column cell 2 = [7.5, 11.25) holds 1.25 inked
     * pixels (1/3), cells 3..7 = [11.25, 30) are full; row cells 5 = [18.75, 22.5) and 6 = [22.5, 26.25) hold 2.5 (2/3).
     */
    @Test
    void rectangleLandsOnExpectedCellsWithFractionalEdges() throws Exception {
        double[] out = Glyphs.downsample(Glyphs.decodeInk(OmniglotTestData.png((x, y) -> x >= 10 && x < 30 && y >= 20 && y < 25), "rect"));
        Map<Integer, Double> rows = Map.of(5, 2.0 / 3, 6, 2.0 / 3);
        Map<Integer, Double> cols = Map.of(2, 1.0 / 3, 3, 1.0, 4, 1.0, 5, 1.0, 6, 1.0, 7, 1.0);
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                double expected = rows.getOrDefault(r, 0.0) * cols.getOrDefault(c, 0.0);
                assertEquals(expected, out[r * 28 + c], 1e-12, "cell (" + r + ", " + c + ")");
            }
        }
        assertEquals(Math.round(255 * 2.0 / 9), Pixels.quantize(out)[5 * 28 + 2] & 0xFF);
    }

    @Test
    void inkMassIsPreservedUpToTheScaleFactor() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] source = new double[105 * 105];
        for (int i = 0; i < source.length; i++) source[i] = rng.nextDouble() < 0.2 ? 1 : 0;
        double[] out = Glyphs.downsample(source);
        double sourceMass = Arrays.stream(source).sum();
        assertEquals(sourceMass, Arrays.stream(out).sum() * SCALE * SCALE, 1e-9);
        double quantizedMass = 0;
        for (byte b : Pixels.quantize(out)) quantizedMass += (b & 0xFF) / 255.0;
        assertEquals(sourceMass, quantizedMass * SCALE * SCALE, 784 * 0.5 / 255 * SCALE * SCALE);
    }

    @Test
    void quarterTurnsArePermutationsAndFourMakeTheIdentity() {
        byte[] image = new byte[784];
        for (int i = 0; i < 784; i++) image[i] = (byte) (i * 31);
        for (int t = 0; t < 4; t++) {
            Set<Integer> sources = new HashSet<>();
            for (int i = 0; i < 784; i++) sources.add(Glyphs.turnedSource(t, i));
            assertEquals(784, sources.size(), "turn " + t + " is a permutation");
        }
        byte[] turned = image;
        for (int k = 0; k < 4; k++) turned = Glyphs.turn(turned, 1);
        assertArrayEquals(image, turned);
        assertArrayEquals(Glyphs.turn(Glyphs.turn(image, 1), 2), Glyphs.turn(image, 3));
    }

    @Test
    void aQuarterTurnIsCounterclockwise() {
        byte[] image = new byte[784];
        image[27] = 1;                      // top-right corner
        image[2 * 28 + 5] = 2;              // row 2, column 5
        byte[] turned = Glyphs.turn(image, 1);
        assertEquals(1, turned[0], "top-right goes to top-left");
        assertEquals(2, turned[(27 - 5) * 28 + 2], "(r, c) goes to (27 - c, r)");
    }

    /** The resize grid is symmetric, so turning the 105x105 original first gives the same 28x28 image. */
    @Test
    void turningCommutesWithTheResize() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] source = new double[105 * 105];
        for (int i = 0; i < source.length; i++) source[i] = rng.nextDouble();
        double[] turnedFirst = Glyphs.downsample(turn105(source));
        double[] resizedFirst = Glyphs.downsample(source);
        for (int i = 0; i < 784; i++) assertEquals(resizedFirst[Glyphs.turnedSource(1, i)], turnedFirst[i], 1e-12);
    }

    private static double[] turn105(double[] in) {
        double[] out = new double[in.length];
        for (int r = 0; r < 105; r++) {
            for (int c = 0; c < 105; c++) out[r * 105 + c] = in[c * 105 + (104 - r)];
        }
        return out;
    }
}
