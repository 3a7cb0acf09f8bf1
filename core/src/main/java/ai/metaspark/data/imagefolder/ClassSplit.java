package ai.metaspark.data.imagefolder;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.Keys;
import ai.metaspark.data.DataException;
import ai.metaspark.data.Draws;
import ai.metaspark.io.Files;
import ai.metaspark.task.Seeds;
import ai.metaspark.task.Split;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How the class folders of an image folder are divided into training, validation and test classes: by
 * {@link Fractions} of a seeded shuffle, or by {@link Lists} of folder names. Either way the division depends on the
 * folder and this value alone, never on the run's seed or on K and Q, so every run and every sweep trial on the same
 * data sees the same classes.
 */
public sealed interface ClassSplit extends Serializable permits ClassSplit.Fractions, ClassSplit.Lists {
    /** The list file of each split in a {@link Lists} folder. */
    Map<Split, String> LIST_FILES = Map.of(Split.TRAIN, "train.txt", Split.VALIDATION, "val.txt", Split.TEST, "test.txt");

    /**
     * The split a {@code class_split} value names: fractions {@code "train,val,test"} (shuffled with {@code seed}) or
     * a folder of list files. Refuses fractions that are not three numbers >= 0 summing to 1.
     */
    static ClassSplit of(String value, long seed) {
        if (!Keys.looksLikeFractions(value)) return new Lists(value.strip());
        double[] f = Keys.classSplitFractions(value).orElseThrow(() -> new ConfigException("class_split '" + value
                + "': expected three fractions train,val,test, each >= 0, summing to 1 (or a folder of list files)"));
        return new Fractions(f[0], f[1], f[2], seed);
    }

    /** The classes of each split, as class indices of {@code data}, in the order tasks draw them from. */
    Map<Split, List<Integer>> assign(ImageFolderDataset data);

    /**
     * The class folders that hold images, sorted by name, shuffled with {@code seed} (a Fisher-Yates shuffle drawn
     * from {@code Seeds.derive(seed, SPLIT_STREAM)}): the first {@code round(train n)} are the training classes, the
     * next {@code round((train + validation) n) - round(train n)} the validation classes, the rest the test classes.
     */
    record Fractions(double train, double validation, double test, long seed) implements ClassSplit {
        /** The seed stream of the class shuffle ("SPLT"). */
        static final long SPLIT_STREAM = 0x53504C54L;

        @Override
        public Map<Split, List<Integer>> assign(ImageFolderDataset data) {
            List<Integer> withImages = new ArrayList<>();
            for (int c = 0; c < data.classCount(); c++) if (data.imageCount(c) > 0) withImages.add(c);
            int n = withImages.size();
            int[] order = Draws.permutation(new SplittableRandom(Seeds.derive(seed, SPLIT_STREAM)), n);
            int trainEnd = (int) Math.round(train * n);
            int validationEnd = Math.max(trainEnd, Math.min(n, (int) Math.round((train + validation) * n)));
            Map<Split, List<Integer>> out = new EnumMap<>(Split.class);
            out.put(Split.TRAIN, pick(withImages, order, 0, trainEnd));
            out.put(Split.VALIDATION, pick(withImages, order, trainEnd, validationEnd));
            out.put(Split.TEST, pick(withImages, order, validationEnd, n));
            return out;
        }

        private static List<Integer> pick(List<Integer> classes, int[] order, int from, int to) {
            List<Integer> out = new ArrayList<>();
            for (int i = from; i < to; i++) out.add(classes.get(order[i]));
            return out;
        }

        @Override
        public String toString() {
            return train + "," + validation + "," + test + " seed " + seed;
        }
    }

    /**
     * The folder {@code folder} (relative: inside the image folder; {@code .} is the image folder itself) holds
     * {@code train.txt}, {@code val.txt} and {@code test.txt}: one class folder name per line, blank lines ignored.
     * Every name must be a class folder, and no class may be listed twice; class folders listed nowhere are not used.
     */
    record Lists(String folder) implements ClassSplit {
        @Override
        public Map<Split, List<Integer>> assign(ImageFolderDataset data) {
            Path dir = new Path(new Path(data.location()), folder);
            Map<String, String> listedIn = new HashMap<>();
            Map<Split, List<Integer>> out = new EnumMap<>(Split.class);
            for (Split split : Split.values()) {
                Path file = new Path(dir, LIST_FILES.get(split));
                out.put(split, classes(data, file, readLines(file), listedIn));
            }
            return out;
        }

        private static List<Integer> classes(ImageFolderDataset data, Path file, List<String> lines, Map<String, String> listedIn) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String name = lines.get(i).strip();
                if (name.endsWith("/")) name = name.substring(0, name.length() - 1);
                if (name.isEmpty()) continue;
                String where = file + " line " + (i + 1) + " '" + name + "'";
                int c = data.indexOf(name);
                if (c < 0) throw new DataException(where + ": no class folder of that name in " + data.location());
                String before = listedIn.putIfAbsent(name, where);
                if (before != null) throw new DataException(where + ": class listed twice (also at " + before + ")");
                out.add(c);
            }
            return out;
        }

        private static List<String> readLines(Path file) {
            try (InputStream raw = Files.fileSystem(file.toString()).open(file);
                 BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
                return in.lines().toList();
            } catch (FileNotFoundException e) {
                throw new DataException("missing class list " + file + " (class_split names a folder, which must hold "
                        + "train.txt, val.txt and test.txt)");
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new DataException("cannot read class list " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
