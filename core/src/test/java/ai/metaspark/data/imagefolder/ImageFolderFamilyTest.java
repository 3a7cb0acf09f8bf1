package ai.metaspark.data.imagefolder;

import ai.metaspark.data.DataException;
import ai.metaspark.task.Batch;
import ai.metaspark.task.ImageShape;
import ai.metaspark.task.LabelledExamples;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSampler;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.Experiment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Episodes of an image folder: N-way K-shot invariants, the same task for the same spec, the class split by fractions
 * (seeded by split_seed, never by seed) or by list files, rotated classes, and the classes left out for too few images.
 * Each image of the folders here is a uniform gray that codes its class folder and index, so every batch row says
 * where it came from.
 */
class ImageFolderFamilyTest {
    private static final int IMAGES = 8;
    @TempDir
    static Path tmp;
    private static Path coded;

    @BeforeAll
    static void write() {
        coded = ImageFolders.coded(tmp.resolve("coded"), 15, IMAGES);
    }

    private static ImageFolderFamily family(Experiment e) {
        return (ImageFolderFamily) e.family();
    }

    @Test
    void aTaskIsNWayKShotWithDistinctImagesOfOneFolderPerLabel() {
        Experiment e = ImageFolders.recipe(coded).experiment();
        for (Split split : Split.values()) {
            for (int i = 0; i < 20; i++) {
                Task t = e.family().materialize(e.sampler().spec(split, 4, i), 2, 3);
                int[] folders = new int[3];
                Set<Integer> images = new HashSet<>();
                checkBatch(t.support(), 2, folders, images);
                checkBatch(t.query(), 3, folders, images);
                assertEquals(3 * 5, images.size(), "support and query images are distinct");
                assertEquals(3, new HashSet<>(List.of(folders[0], folders[1], folders[2])).size(), "distinct classes");
            }
        }
    }

    /** Shapes, one-hot class-major targets, and each label's rows from one folder (recorded in {@code folders}). */
    private static void checkBatch(Batch b, int perClass, int[] folders, Set<Integer> images) {
        assertEquals(3 * perClass, b.n());
        assertEquals(ImageFolders.SIDE * ImageFolders.SIDE, b.inDim());
        for (int row = 0; row < b.n(); row++) {
            int label = row / perClass;
            for (int j = 0; j < 3; j++) assertEquals(j == label ? 1.0 : 0.0, b.y()[row * 3 + j], "one-hot, class-major");
            int[] source = ImageFolders.decode(b.x(), row, IMAGES);
            if (row % perClass == 0 && images.stream().noneMatch(k -> k / IMAGES == source[0])) folders[label] = source[0];
            assertEquals(folders[label], source[0], "row " + row + " is from its label's folder");
            images.add(source[0] * IMAGES + source[1]);
        }
    }

    @Test
    void theSameSpecGivesTheSameTaskAndLabelsComeInRandomOrder() {
        Experiment a = ImageFolders.recipe(coded).experiment();
        Experiment b = ImageFolders.recipe(coded, "class_split=0.6,0.2,0.2").experiment();
        TaskSpec spec = a.sampler().spec(Split.TRAIN, 7, 2);
        Task ta = a.trainTask(spec);
        Task tb = b.trainTask(spec);
        assertArrayEquals(ta.support().x(), tb.support().x());
        assertArrayEquals(ta.query().y(), tb.query().y());
        assertFalse(java.util.Arrays.equals(ta.support().x(), a.trainTask(a.sampler().spec(Split.TRAIN, 7, 3)).support().x()));
        int ascending = 0;
        for (int i = 0; i < 40; i++) {
            Batch s = a.trainTask(a.sampler().spec(Split.TRAIN, 0, i)).support();
            int f0 = ImageFolders.decode(s.x(), 0, IMAGES)[0];
            int f1 = ImageFolders.decode(s.x(), 2, IMAGES)[0];
            int f2 = ImageFolders.decode(s.x(), 4, IMAGES)[0];
            if (f0 < f1 && f1 < f2) ascending++;
        }
        assertTrue(ascending > 0 && ascending < 20, "labels in a random order per task: " + ascending + " of 40 ascending");
    }

    /** The folders the test tasks of an experiment draw (3 test classes of 15 with 3-way tasks: all of them each time). */
    private static Set<Integer> testFolders(Experiment e) {
        Set<Integer> folders = new TreeSet<>();
        for (TaskSpec spec : e.sampler().heldOut(Split.TEST, 10)) {
            Batch s = e.heldOutTask(spec).support();
            for (int row = 0; row < s.n(); row++) folders.add(ImageFolders.decode(s.x(), row, IMAGES)[0]);
        }
        return folders;
    }

    @Test
    void fractionsCutAShuffleOfSplitSeedAndNotOfSeed() {
        Experiment base = ImageFolders.recipe(coded, "seed=1").experiment();
        assertEquals(9, family(base).classCount(Split.TRAIN));
        assertEquals(3, family(base).classCount(Split.VALIDATION));
        assertEquals(3, family(base).classCount(Split.TEST));
        Set<Integer> test = testFolders(base);
        assertEquals(3, test.size());
        assertEquals(test, testFolders(ImageFolders.recipe(coded, "seed=2").experiment()), "seed does not move classes");
        assertNotEquals(test, testFolders(ImageFolders.recipe(coded, "split_seed=2").experiment()), "split_seed does");
        assertNotEquals(Set.of(12, 13, 14), test, "the folders are shuffled before the cut");
    }

    @Test
    void listFilesNameTheClassesOfEachSplit() throws IOException {
        Path lists = Files.createDirectories(tmp.resolve("lists"));
        Files.writeString(lists.resolve("train.txt"), "c00\nc01\nc02\nc03\n\nc04\n");
        Files.writeString(lists.resolve("val.txt"), "c05/\nc06\nc07\n");
        Files.writeString(lists.resolve("test.txt"), "  c12\nc13\r\nc14\n");
        Experiment e = ImageFolders.recipe(coded, "class_split=" + lists).experiment();
        assertEquals(5, family(e).classCount(Split.TRAIN));
        assertEquals(3, family(e).classCount(Split.VALIDATION));
        assertEquals(Set.of(12, 13, 14), testFolders(e));
    }

    @Test
    void rotatedClassesAreTheFolderTurnedByQuarters() {
        Path root = tmp.resolve("turns");
        int side = ImageFolders.SIDE;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 5; i++) {
                int level = ImageFolders.code(c, i, 5);
                ImageFolders.write(root, "r" + c, i + ".png", ImageFolders.gray(side, side, (x, y) -> x == 2 && y == 1 ? 255 : level), "png");
            }
        }
        ImageFolderFamily family = new ImageFolderFamily(new ImageFolderFamily.Source(root.toString(),
                new ImageShape(side, 1), ClassSplit.of("1,0,0", 1), true), 12, 12, new ImageFolderFamily.MinImages(2, 2));
        assertEquals(12, family.classCount(Split.TRAIN), "3 folders x 4 turns");
        TaskSpec spec = new TaskSampler(3).spec(Split.TRAIN, 0, 0);
        ai.metaspark.data.Episode episode = family.episode(spec, 1, 1);
        Batch support = family.materialize(spec, 1, 1).support();
        Set<Integer> classes = new HashSet<>();
        for (int label = 0; label < 12; label++) {
            int turns = episode.quarterTurns()[label];
            classes.add(episode.classes()[label] * 4 + turns);
            int[] at = {1, 2};                             // (row, column) of the bright pixel, turned counterclockwise
            for (int t = 0; t < turns; t++) at = new int[] {side - 1 - at[1], at[0]};
            assertEquals(1.0, support.x()[label * side * side + at[0] * side + at[1]], "label " + label + ", " + turns + " turns");
        }
        assertEquals(12, classes.size(), "every folder in every turn is a class of its own");
    }

    @Test
    void classFoldersWithTooFewImagesAreLeftOutAndCounted() throws IOException {
        Path root = ImageFolders.coded(tmp.resolve("few"), 6, IMAGES);
        for (int i = 0; i < 4; i++) {
            ImageFolders.write(root, "small", i + ".png", ImageFolders.gray(8, 8, (x, y) -> 200), "png");
        }
        Files.writeString(root.resolve("train.txt"), "c00\nc01\nc02\n");
        Files.writeString(root.resolve("val.txt"), "");
        Files.writeString(root.resolve("test.txt"), "c03\nc04\nc05\nsmall\n");
        Experiment e = ImageFolders.recipe(root, "class_split=.", "eval_query=3").experiment();
        assertEquals(3, family(e).classCount(Split.TEST), "small has 4 images, a test task needs 2 + 3");
        assertEquals(1, family(e).classPool(Split.TEST).skipped());
        assertTrue(family(e).summary().endsWith("skipped: test class folders with fewer than 5 images: 1"), family(e).summary());
        assertEquals(4, family(ImageFolders.recipe(root, "class_split=.", "eval_query=2").experiment()).classCount(Split.TEST),
                "with 2 + 2 it takes part");
        DataException tooFew = assertThrows(DataException.class,
                () -> ImageFolders.recipe(root, "class_split=.", "eval_query=7").experiment());
        assertTrue(tooFew.getMessage().contains("the test split of image folder") && tooFew.getMessage().contains(
                "has 0 classes after skipping 4 with fewer than 9 images (k_shot + eval_query); 3-way tasks need at least 3"),
                tooFew.getMessage());
    }

    @Test
    void theTrainingClassesAreOneLabelledDataSet() {
        Experiment e = ImageFolders.recipe(coded, "rotate_classes=true").experiment();
        LabelledExamples examples = e.family().trainingExamples().orElseThrow();
        assertEquals(9 * 4, examples.classes());
        assertEquals(9 * 4 * IMAGES, examples.size());
        float[] x = new float[examples.inputSize()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < examples.size(); i++) {
            examples.copy(i, x, 0);
            int code = Math.round(x[0] * 255) - 10;
            assertEquals(i / IMAGES, examples.label(i), "class-major");
            seen.add(examples.label(i) / 4 * 1000 + code);
        }
        assertEquals(9 * IMAGES, seen.size(), "each class holds the images of one folder");
    }
}
