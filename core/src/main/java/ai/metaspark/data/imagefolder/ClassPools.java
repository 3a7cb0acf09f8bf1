package ai.metaspark.data.imagefolder;

import ai.metaspark.data.JvmCache;
import ai.metaspark.data.imagefolder.ImageFolderFamily.MinImages;
import ai.metaspark.data.imagefolder.ImageFolderFamily.Source;
import ai.metaspark.task.Split;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The class pool of each split of an image folder, built once per JVM and {@link Source}: the split's class folders
 * ({@link ClassSplit}) less those with fewer images than a task of the split needs, each folder one class or, with
 * {@code rotateClasses}, four (its images turned 0, 90, 180 and 270 degrees). Building them logs one line: what was
 * read and what was skipped, and why.
 */
final class ClassPools {
    private static final Logger LOG = LoggerFactory.getLogger(ClassPools.class);
    private static final JvmCache<String, Map<Split, ClassPool>> CACHE = new JvmCache<>();

    /**
     * The classes a split draws from: class i is folder {@code folders[i]} turned {@code quarterTurns[i]} times 90
     * degrees counterclockwise; {@code skipped} folders of the split had too few images.
     */
    record ClassPool(int[] folders, int[] quarterTurns, int skipped) {
        int size() {
            return folders.length;
        }
    }

    private ClassPools() {
    }

    /** The pools of {@code source} when a task of each split needs {@code need} images per class. */
    static Map<Split, ClassPool> of(Source source, MinImages need) {
        return CACHE.get(source + " " + need, key -> build(source, need));
    }

    private static Map<Split, ClassPool> build(Source source, MinImages need) {
        ImageFolderDataset data = ImageFolderDataset.load(source.location(), source.image());
        Map<Split, List<Integer>> folders = source.split().assign(data);
        Map<Split, ClassPool> pools = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            pools.put(split, pool(data, folders.get(split), source.rotateClasses() ? 4 : 1, need.of(split)));
        }
        LOG.info(summary(data, source, pools, need));
        return pools;
    }

    private static ClassPool pool(ImageFolderDataset data, List<Integer> folders, int turns, int minImages) {
        List<int[]> classes = new ArrayList<>();
        int skipped = 0;
        for (int c : folders) {
            if (data.imageCount(c) < minImages) {
                skipped++;
                continue;
            }
            for (int t = 0; t < turns; t++) classes.add(new int[] {c, t});
        }
        return new ClassPool(classes.stream().mapToInt(c -> c[0]).toArray(), classes.stream().mapToInt(c -> c[1]).toArray(), skipped);
    }

    /** The one log line: classes and images read, the split, and everything skipped with the reason. */
    static String summary(ImageFolderDataset data, Source source, Map<Split, ClassPool> pools, MinImages need) {
        return String.format(Locale.ROOT, "image-folder %s: read %,d images of %d class folders as %s in %.1f s; "
                        + "classes train %d, validation %d, test %d%s; skipped: %s",
                data.location(), data.totalImages(), data.classCount(), data.shape(), data.seconds(),
                pools.get(Split.TRAIN).size(), pools.get(Split.VALIDATION).size(), pools.get(Split.TEST).size(),
                source.rotateClasses() ? " (4 turns per folder)" : "", skipped(data, pools, need));
    }

    private static String skipped(ImageFolderDataset data, Map<Split, ClassPool> pools, MinImages need) {
        List<String> reasons = new ArrayList<>();
        ImageFolderDataset.Skipped s = data.skipped();
        if (s.nonImages() > 0) {
            reasons.add("files that are not PNG, JPEG, GIF or BMP images: " + s.nonImages() + " " + s.nonImageExamples());
        }
        if (s.nestedFolders() > 0) reasons.add("folders inside class folders: " + s.nestedFolders());
        int empty = 0;
        for (int c = 0; c < data.classCount(); c++) if (data.imageCount(c) == 0) empty++;
        if (empty > 0) reasons.add("class folders without images: " + empty);
        for (Split split : Split.values()) {
            int few = pools.get(split).skipped();
            if (few > 0) {
                reasons.add(split.name().toLowerCase(Locale.ROOT) + " class folders with fewer than " + need.of(split)
                        + " images: " + few);
            }
        }
        return reasons.isEmpty() ? "nothing" : String.join(", ", reasons);
    }
}
