package ai.metaspark.data.imagefolder;

import ai.metaspark.config.ConfigException;
import ai.metaspark.data.DataException;
import ai.metaspark.data.Draws;
import ai.metaspark.data.omniglot.OmniglotZips;
import ai.metaspark.data.omniglot.OmniglotZips.Drawing;
import ai.metaspark.io.Files;
import ai.metaspark.task.Split;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A small image folder to try {@code task: image-folder} on ({@code bin/metaspark make-example-data image-folder}):
 * {@value #CLASSES} class folders of {@value #IMAGES} PNGs, with {@code train.txt}, {@code val.txt} and
 * {@code test.txt} listing {@value #TRAIN} / {@value #VALIDATION} / {@value #TEST} of them, and a README.txt. The
 * classes are Omniglot characters (their drawings copied byte for byte, 105x105) where the Omniglot folder is at hand,
 * else {@link ProceduralGlyphs}. The same call writes the same files.
 */
public final class ExampleImageFolder {
    static final int TRAIN = 40;
    static final int VALIDATION = 10;
    static final int TEST = 10;
    static final int CLASSES = TRAIN + VALIDATION + TEST;
    static final int IMAGES = 20;
    private static final long SEED = 1;

    /** What was written: {@code classes} folders of {@code images} images each, from {@code source}. */
    public record Written(String location, String source, int classes, int images) {
    }

    private ExampleImageFolder() {
    }

    /**
     * Writes the example into {@code out} (any Hadoop path; absent or an empty folder), from the Omniglot folder
     * {@code omniglot} when given. Refuses an {@code out} that holds anything ({@link ConfigException}).
     */
    public static Written write(String out, Optional<String> omniglot) {
        FileSystem fs = Files.fileSystem(out);
        Path root = fs.makeQualified(new Path(out));
        Files.refuseNonEmptyOut(fs, root);
        Map<String, List<byte[]>> classes = omniglot.map(ExampleImageFolder::omniglotCharacters).orElseGet(ExampleImageFolder::glyphs);
        String source = omniglot.map(o -> "Omniglot characters from " + o).orElse("procedural glyphs (no Omniglot folder found)");
        try {
            writeClasses(fs, root, classes);
            writeLists(fs, root, new ArrayList<>(classes.keySet()));
            writeText(fs, new Path(root, "README.txt"), readme(source));
        } catch (IOException e) {
            throw new DataException("cannot write the example image folder " + root + ": " + e.getMessage(), e);
        }
        return new Written(root.toString(), source, CLASSES, IMAGES);
    }

    /** {@value #CLASSES} characters drawn with a fixed seed, folder {@code Alphabet_characterNN}, drawings in drawer order. */
    private static Map<String, List<byte[]>> omniglotCharacters(String omniglot) {
        Map<String, List<byte[]>> all = new TreeMap<>();
        for (Drawing d : OmniglotZips.read(Files.fileSystem(omniglot), new Path(omniglot))) {
            all.computeIfAbsent(d.character().replace('/', '_'), k -> new ArrayList<>()).add(d.png());
        }
        List<String> names = new ArrayList<>(all.keySet());
        int[] order = Draws.distinct(new SplittableRandom(SEED), names.size(), CLASSES);
        Map<String, List<byte[]>> chosen = new TreeMap<>();
        for (int i : order) chosen.put(names.get(i), all.get(names.get(i)).subList(0, IMAGES));
        return chosen;
    }

    private static Map<String, List<byte[]>> glyphs() {
        Map<String, List<byte[]>> classes = new TreeMap<>();
        for (int c = 0; c < CLASSES; c++) {
            List<byte[]> images = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) images.add(ProceduralGlyphs.png(SEED, c, i));
            classes.put(String.format("glyph%02d", c + 1), images);
        }
        return classes;
    }

    private static void writeClasses(FileSystem fs, Path root, Map<String, List<byte[]>> classes) throws IOException {
        for (Map.Entry<String, List<byte[]>> c : classes.entrySet()) {
            for (int i = 0; i < c.getValue().size(); i++) {
                try (FSDataOutputStream o = fs.create(new Path(new Path(root, c.getKey()), String.format("%02d.png", i + 1)), false)) {
                    o.write(c.getValue().get(i));
                }
            }
        }
    }

    /** The class names shuffled with the fixed seed: the first TRAIN train, the next VALIDATION val, the rest test. */
    private static void writeLists(FileSystem fs, Path root, List<String> names) throws IOException {
        int[] order = Draws.permutation(new SplittableRandom(SEED), names.size());
        int[] ends = {TRAIN, TRAIN + VALIDATION, CLASSES};
        Split[] splits = {Split.TRAIN, Split.VALIDATION, Split.TEST};
        for (int s = 0, i = 0; s < splits.length; s++) {
            StringBuilder lines = new StringBuilder();
            for (; i < ends[s]; i++) lines.append(names.get(order[i])).append('\n');
            writeText(fs, new Path(root, ClassSplit.LIST_FILES.get(splits[s])), lines.toString());
        }
    }

    private static void writeText(FileSystem fs, Path file, String text) throws IOException {
        try (FSDataOutputStream o = fs.create(file, false)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String readme(String source) {
        return "An example image folder for MetaSpark's task: image-folder (docs/own-data.md), written by\n"
                + "bin/metaspark make-example-data image-folder: " + CLASSES + " class folders of " + IMAGES + " PNGs, "
                + source + ".\ntrain.txt, val.txt and test.txt list " + TRAIN + ", " + VALIDATION + " and " + TEST
                + " classes (class_split: .). This file is not a class: files beside the class folders are ignored.\n"
                + "Omniglot: Lake, Salakhutdinov and Tenenbaum (2015), Science 350(6266); MIT License.\n";
    }
}
