package ai.metaspark.data.omniglot;

import ai.metaspark.data.DataException;
import ai.metaspark.data.Draws;
import ai.metaspark.data.JvmCache;
import ai.metaspark.io.Files;
import ai.metaspark.task.Split;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The class pool of each split under a {@link Protocol}, built once per JVM, location and protocol. */
final class ClassPools {
    static final long MAML_SHUFFLE_SEED = 1;
    static final int MAML_CHARACTERS = 1623;
    static final int MAML_META_TRAIN = 1200;
    static final int MAML_VALIDATION = 100;
    static final String VINYALS_FOLDER = "splits/vinyals";
    private static final Map<Split, String> VINYALS_FILES =
            Map.of(Split.TRAIN, "train.txt", Split.VALIDATION, "val.txt", Split.TEST, "test.txt");
    private static final Pattern VINYALS_LINE = Pattern.compile("(.+/character\\d+)/rot(000|090|180|270)");
    private static final JvmCache<String, Map<Split, ClassPool>> CACHE = new JvmCache<>();

    /**
     * The classes one split draws from: class i is character {@code characters[i]} turned {@code quarterTurns[i]}
     * times 90 degrees counterclockwise, or, with {@code randomTurns}, by a turn drawn per class per task.
     */
    record ClassPool(int[] characters, int[] quarterTurns, boolean randomTurns) {
        int size() {
            return characters.length;
        }
    }

    private ClassPools() {
    }

    /** The pools of {@code protocol} for the data set in {@code location}. */
    static Map<Split, ClassPool> of(String location, Protocol protocol) {
        String qualified = OmniglotDataset.qualified(location);
        return CACHE.get(protocol + " " + qualified,
                key -> protocol == Protocol.VINYALS ? vinyals(qualified) : maml(qualified));
    }

    private static Map<Split, ClassPool> maml(String location) {
        OmniglotDataset data = OmniglotDataset.load(location);
        if (data.characterCount() != MAML_CHARACTERS) {
            throw new DataException("the MAML protocol needs all " + MAML_CHARACTERS + " Omniglot characters; "
                    + location + " has " + data.characterCount());
        }
        int[] order = Draws.permutation(new SplittableRandom(MAML_SHUFFLE_SEED), MAML_CHARACTERS);
        int train = MAML_META_TRAIN - MAML_VALIDATION;
        Map<Split, ClassPool> pools = new EnumMap<>(Split.class);
        pools.put(Split.TRAIN, rotating(order, 0, train));
        pools.put(Split.VALIDATION, rotating(order, train, MAML_META_TRAIN));
        pools.put(Split.TEST, rotating(order, MAML_META_TRAIN, MAML_CHARACTERS));
        return pools;
    }

    private static ClassPool rotating(int[] order, int from, int to) {
        int[] characters = Arrays.copyOfRange(order, from, to);
        return new ClassPool(characters, new int[characters.length], true);
    }

    private static Map<Split, ClassPool> vinyals(String location) {
        Map<Split, List<String>> lines = new EnumMap<>(Split.class);
        for (Split split : Split.values()) lines.put(split, readLines(vinyalsFile(location, split)));
        OmniglotDataset data = OmniglotDataset.load(location);
        Map<Split, ClassPool> pools = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            pools.put(split, parseVinyals(data, lines.get(split), vinyalsFile(location, split)));
        }
        return pools;
    }

    private static Path vinyalsFile(String location, Split split) {
        return new Path(new Path(location, VINYALS_FOLDER), VINYALS_FILES.get(split));
    }

    /** Classes from the split file's lines; blank lines are skipped, error messages give 1-based line numbers. */
    private static ClassPool parseVinyals(OmniglotDataset data, List<String> lines, Path file) {
        List<int[]> classes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String where = file + " line " + (i + 1) + " '" + line + "'";
            Matcher m = VINYALS_LINE.matcher(line);
            if (!m.matches()) throw new DataException(where + ": expected <Alphabet>/character<NN>/rot<000|090|180|270>");
            if (!seen.add(line)) throw new DataException(where + ": class listed twice");
            int character = data.indexOf(m.group(1));
            if (character < 0) {
                throw new DataException(where + ": character " + m.group(1) + " is not in the zips of " + data.location());
            }
            classes.add(new int[] {character, Integer.parseInt(m.group(2)) / 90});
        }
        if (classes.isEmpty()) throw new DataException("split file " + file + " lists no classes");
        int[] characters = classes.stream().mapToInt(c -> c[0]).toArray();
        return new ClassPool(characters, classes.stream().mapToInt(c -> c[1]).toArray(), false);
    }

    private static List<String> readLines(Path file) {
        try (InputStream raw = Files.fileSystem(file.toString()).open(file);
             BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) lines.add(line);
            return lines;
        } catch (FileNotFoundException e) {
            throw new DataException("missing Vinyals split file " + file + " (needed by protocol VINYALS)");
        } catch (IOException e) {
            throw new DataException("cannot read split file " + file + ": " + e, e);
        }
    }
}
