package ai.metaspark.data.imagefolder;

import ai.metaspark.data.DataException;
import ai.metaspark.data.Episode;
import ai.metaspark.data.imagefolder.ClassPools.ClassPool;
import ai.metaspark.data.omniglot.OmniglotFamily;
import ai.metaspark.task.ImageShape;
import ai.metaspark.task.LabelledExamples;
import ai.metaspark.task.Seeds;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSpec;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * N-way K-shot classification of the user's own images, one class per folder, with the episodes of
 * {@link ai.metaspark.data.omniglot.OmniglotFamily}: a task draws N distinct classes of its split's pool (see
 * {@link ClassPools}) and K + Q distinct images of each, K for the support set and the other Q for the query set;
 * labels 0..N-1 go to the classes in a random order per task. Every draw comes from
 * {@code Seeds.derive(spec.seed(), OmniglotFamily.EPISODE_STREAM, split, step, index)}, so a spec gives the same task on
 * any machine, and the draws are Omniglot's: an image folder of Omniglot's characters, listed in the order of a Vinyals
 * split file with {@code rotateClasses}, gives the tasks of the Omniglot family (its pixels as intensities).
 * <p>
 * Each batch row is one image of the {@link Source}'s {@link ImageShape}, channel-major then row-major, intensities in
 * [0, 1]; targets are one-hot over the N labels; rows are class-major. Meta-training tasks may have more classes than
 * the others ({@code trainNWay}). The family holds only its settings; the images come from the per-JVM cache of
 * {@link ImageFolderDataset} on first use.
 */
public final class ImageFolderFamily implements TaskFamily {
    private static final long serialVersionUID = 1L;
    private final Source source;
    private final int trainNWay;
    private final int nWay;
    private final MinImages minImages;
    private transient volatile ImageFolderDataset data;
    private transient volatile Map<Split, ClassPool> pools;

    /**
     * What is read and how it is divided.
     *
     * @param location      the folder of class folders (any Hadoop path)
     * @param image         the shape every image is converted to
     * @param split         how class folders are divided into training, validation and test classes
     * @param rotateClasses whether each folder also gives its 90, 180 and 270 degree turns as classes
     */
    public record Source(String location, ImageShape image, ClassSplit split, boolean rotateClasses) implements Serializable {
    }

    /**
     * Images a class needs to take part in a split's tasks: K + Q of meta-training ({@code train}), K + the
     * meta-test's queries ({@code heldOut}, validation and test); folders with fewer are skipped.
     */
    public record MinImages(int train, int heldOut) implements Serializable {
        int of(Split split) {
            return split == Split.TRAIN ? train : heldOut;
        }
    }

    /** {@code trainNWay}-way meta-training tasks and {@code nWay}-way validation and test tasks from {@code source}. */
    public ImageFolderFamily(Source source, int trainNWay, int nWay, MinImages minImages) {
        if (nWay < 2) throw new DataException("n_way must be at least 2, got " + nWay);
        if (trainNWay < 2) throw new DataException("train_n_way must be at least 2, got " + trainNWay);
        this.source = source;
        this.trainNWay = trainNWay;
        this.nWay = nWay;
        this.minImages = minImages;
    }

    /** N of the tasks of {@code split}. */
    public int ways(Split split) {
        return split == Split.TRAIN ? trainNWay : nWay;
    }

    @Override
    public int inputSize() {
        return source.image().inputSize();
    }

    @Override
    public int outputSize() {
        return nWay;
    }

    @Override
    public boolean classification() {
        return true;
    }

    @Override
    public Optional<ImageShape> imageShape() {
        return Optional.of(source.image());
    }

    /** The number of classes {@code split} draws from (with rotations, four per class folder). */
    public int classCount(Split split) {
        return pools().get(split).size();
    }

    /** The classes {@code split} draws from, and how many folders of the split were left out for too few images. */
    ClassPool classPool(Split split) {
        return pools().get(split);
    }

    /** The line logged when the pools were built: what was read, the split, and what was skipped and why. */
    String summary() {
        return ClassPools.summary(data(), source, pools(), minImages);
    }

    /** The task of {@code spec}: {@code support} = K images per class, {@code query} = Q images per class. */
    @Override
    public Task materialize(TaskSpec spec, int support, int query) {
        Episode episode = episode(spec, support, query);
        ImageFolderDataset images = data();
        return new Task(spec, episode.batch(images::copyTo, inputSize(), 0, support),
                episode.batch(images::copyTo, inputSize(), support, query));
    }

    /** The training split's classes (rotations as classes of their own) with all their images. */
    @Override
    public Optional<LabelledExamples> trainingExamples() {
        return Optional.of(new TrainingImages(data(), pools().get(Split.TRAIN)));
    }

    Episode episode(TaskSpec spec, int shots, int queries) {
        ClassPool pool = pools().get(spec.split());
        int ways = ways(spec.split());
        checkSizes(spec.split(), pool, ways, shots, queries);
        SplittableRandom rng = new SplittableRandom(
                Seeds.derive(spec.seed(), OmniglotFamily.EPISODE_STREAM, spec.split().ordinal(), spec.step(), spec.index()));
        ImageFolderDataset images = data();
        return Episode.draw(rng, new Episode.Pool() {
            public int size() {
                return pool.size();
            }

            public int classAt(int i) {
                return pool.folders()[i];
            }

            public int quarterTurnsAt(int i, SplittableRandom unused) {
                return pool.quarterTurns()[i];
            }

            public int imageCount(int folder) {
                return images.imageCount(folder);
            }
        }, ways, shots + queries);
    }

    private void checkSizes(Split split, ClassPool pool, int ways, int shots, int queries) {
        String name = split.name().toLowerCase(Locale.ROOT);
        if (shots < 1) throw new DataException("K (support images per class) must be at least 1, got " + shots);
        if (queries < 0) throw new DataException("Q (query images per class) must not be negative, got " + queries);
        if (shots + queries > minImages.of(split)) {
            throw new DataException("K + Q = " + shots + " + " + queries + " images per class, but the " + name
                    + " split keeps only classes with at least " + minImages.of(split));
        }
        if (ways > pool.size()) {
            throw new DataException("the " + name + " split of image folder " + source.location() + " has " + pool.size()
                    + " classes after skipping " + pool.skipped() + " with fewer than " + minImages.of(split) + " images ("
                    + (split == Split.TRAIN ? "k_shot + k_query" : "k_shot + eval_query") + "); " + ways
                    + "-way tasks need at least " + ways + " (" + (split == Split.TRAIN ? "train_n_way" : "n_way") + ")");
        }
    }

    private ImageFolderDataset data() {
        ImageFolderDataset d = data;
        if (d == null) data = d = ImageFolderDataset.load(source.location(), source.image());
        return d;
    }

    private Map<Split, ClassPool> pools() {
        Map<Split, ClassPool> p = pools;
        if (p == null) pools = p = ClassPools.of(source, minImages);
        return p;
    }

    @Override
    public String toString() {
        return "ImageFolderFamily(" + source.location() + ", " + source.image() + ", "
                + (trainNWay == nWay ? "" : trainNWay + "-way training, ") + nWay + "-way)";
    }
}
