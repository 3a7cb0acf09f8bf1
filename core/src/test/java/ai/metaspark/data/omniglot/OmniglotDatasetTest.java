package ai.metaspark.data.omniglot;

import ai.metaspark.data.omniglot.ClassPools.ClassPool;
import ai.metaspark.task.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real data set: counts, order, one glyph checked against its original, and the class pools of both protocols. */
class OmniglotDatasetTest {
    private static final double SCALE = 105.0 / 28;
    private static final int BACKGROUND_CHARACTERS = 964;
    private static String location;
    private static OmniglotDataset data;

    @BeforeAll
    static void load() {
        location = OmniglotTestData.realFolder().toString();
        data = OmniglotDataset.load(location);
    }

    @Test
    void holdsAllCharactersInIdOrderOncePerJvm() {
        assertEquals(1623, data.characterCount());
        assertEquals(1623L * 20 * 784, data.imageBytes());
        assertEquals(682, data.indexOf("Latin/character01"), "Latin/character01 has id 0683");
        assertEquals(708, data.indexOf("Alphabet_of_the_Magi/character01"), "id 0709");
        assertEquals("ULOG/character26", data.name(1622));
        assertEquals(-1, data.indexOf("Latin/character99"));
        assertSame(data, OmniglotDataset.load("file://" + location), "one folder named two ways is one cache entry");
    }

    /**
     * Latin/character01, drawer 01, decoded here independently (ZipFile, getRGB): the 28x28 cells with ink are exactly
     * the cells its inked pixels overlap, and ink mass and centroid match the original up to the scale factor.
     */
    @Test
    void aRealGlyphHasInkWhereTheOriginalHas() throws Exception {
        BufferedImage original = originalPng("images_background/Latin/character01/0683_01.png");
        boolean[] touched = new boolean[784];
        double mass = 0;
        double sumX = 0;
        double sumY = 0;
        for (int y = 0; y < 105; y++) {
            for (int x = 0; x < 105; x++) {
                if ((original.getRGB(x, y) & 0xFFFFFF) != 0) continue;
                mass++;
                sumX += x + 0.5;
                sumY += y + 0.5;
                for (int r = (int) (y / SCALE); r * SCALE < y + 1; r++) {
                    for (int c = (int) (x / SCALE); c * SCALE < x + 1; c++) touched[r * 28 + c] = true;
                }
            }
        }
        byte[] glyph = data.image(682, 0);
        double mass28 = 0;
        double sumX28 = 0;
        double sumY28 = 0;
        for (int i = 0; i < 784; i++) {
            double v = (glyph[i] & 0xFF) / 255.0;
            assertEquals(touched[i], v > 0, "cell " + i / 28 + "," + i % 28);
            mass28 += v;
            sumX28 += v * (i % 28 + 0.5) * SCALE;
            sumY28 += v * (i / 28 + 0.5) * SCALE;
        }
        assertTrue(mass > 200, "the glyph has ink: " + mass);
        assertEquals(mass, mass28 * SCALE * SCALE, 0.01 * mass);
        assertEquals(sumX / mass, sumX28 / mass28, 0.5);
        assertEquals(sumY / mass, sumY28 / mass28, 0.5);
    }

    private static BufferedImage originalPng(String entry) throws Exception {
        try (ZipFile zip = new ZipFile(Path.of(location, "images_background.zip").toFile())) {
            return ImageIO.read(zip.getInputStream(zip.getEntry(entry)));
        }
    }

    @Test
    void vinyalsPoolsHaveThePublishedSizes() {
        Map<Split, ClassPool> pools = ClassPools.of(location, Protocol.VINYALS);
        assertEquals(4112, pools.get(Split.TRAIN).size());
        assertEquals(688, pools.get(Split.VALIDATION).size());
        assertEquals(1692, pools.get(Split.TEST).size());
        assertEquals(1028, distinct(pools.get(Split.TRAIN).characters()).size(), "4 turns of 1,028 characters");
        for (int c : pools.get(Split.TEST).characters()) assertTrue(c >= BACKGROUND_CHARACTERS, "test characters are all evaluation");
        for (int c : pools.get(Split.VALIDATION).characters()) assertTrue(c < BACKGROUND_CHARACTERS, "validation all background");
        Set<Integer> trainVal = distinct(pools.get(Split.TRAIN).characters());
        trainVal.addAll(distinct(pools.get(Split.VALIDATION).characters()));
        assertEquals(1200, trainVal.size());
        trainVal.retainAll(distinct(pools.get(Split.TEST).characters()));
        assertTrue(trainVal.isEmpty(), "no character in both train/val and test");
        assertEquals(Set.of(0, 1, 2, 3), distinct(pools.get(Split.TRAIN).quarterTurns()));
    }

    @Test
    void mamlSplitsAFixedShuffleOfAllCharacters() {
        Map<Split, ClassPool> pools = ClassPools.of(location, Protocol.MAML);
        Set<Integer> train = distinct(pools.get(Split.TRAIN).characters());
        Set<Integer> validation = distinct(pools.get(Split.VALIDATION).characters());
        Set<Integer> test = distinct(pools.get(Split.TEST).characters());
        assertEquals(1100, train.size());
        assertEquals(100, validation.size());
        assertEquals(423, test.size());
        Set<Integer> all = new HashSet<>(train);
        all.addAll(validation);
        assertEquals(1200, all.size(), "the 1,200 meta-training characters");
        all.addAll(test);
        assertEquals(1623, all.size(), "disjoint and complete");
        assertTrue(pools.get(Split.TRAIN).randomTurns());
        long background = test.stream().filter(c -> c < BACKGROUND_CHARACTERS).count();
        assertTrue(background > 150 && background < 350, "a shuffle, not id order: " + background + " background test characters");
    }

    private static Set<Integer> distinct(int[] values) {
        Set<Integer> s = new HashSet<>();
        Arrays.stream(values).forEach(s::add);
        return s;
    }
}
