package ai.metaspark.data.omniglot;

import ai.metaspark.data.DataException;
import ai.metaspark.data.Episode;
import ai.metaspark.data.omniglot.ClassPools.ClassPool;
import ai.metaspark.task.ImageShape;
import ai.metaspark.task.LabelledExamples;
import ai.metaspark.task.Seeds;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSpec;

import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * N-way K-shot Omniglot classification (Lake et al. 2015; the episodes of Vinyals et al. 2016 and Finn et al. 2017).
 * A task draws N distinct classes of its split's pool (see {@link Protocol}) and K + Q distinct drawings of each: K
 * for the support set, the other Q for the query set. Labels 0..N-1 go to the classes in a random order per task.
 * <p>
 * Each batch row is one 28x28 image, row-major, ink in [0, 1] (1 = black); targets are one-hot over the N labels.
 * Rows are class-major: the K (or Q) rows of label 0, then those of label 1, and so on.
 * <p>
 * Meta-training tasks may have more classes than the others ({@code trainNWay}, as Prototypical Networks train); the
 * family's {@link #outputSize()} is the N of validation and test tasks.
 * <p>
 * The family holds only its location, protocol and the two N, so it serializes in a few hundred bytes; the images come from
 * the per-JVM cache of {@link OmniglotDataset} on first use.
 */
public final class OmniglotFamily implements TaskFamily {
    private static final long serialVersionUID = 1L;
    /**
     * The seed stream of Omniglot episodes ("OMNI"); image folders draw theirs from it too, so that an image folder of
     * Omniglot's characters gives Omniglot's tasks.
     */
    public static final long EPISODE_STREAM = 0x4F4D4E49L;
    private final String location;
    private final Protocol protocol;
    private final int trainNWay;
    private final int nWay;
    private transient volatile OmniglotDataset data;
    private transient volatile Map<Split, ClassPool> pools;

    /** N-way tasks from the Omniglot folder {@code location} (any Hadoop path) split by {@code protocol}. */
    public OmniglotFamily(String location, Protocol protocol, int nWay) {
        this(location, protocol, nWay, nWay);
    }

    /** {@code trainNWay}-way meta-training tasks and {@code nWay}-way validation and test tasks. */
    public OmniglotFamily(String location, Protocol protocol, int trainNWay, int nWay) {
        if (location == null || location.isBlank()) throw new DataException("no Omniglot folder given (location is empty)");
        if (protocol == null) throw new DataException("no Omniglot protocol given, expected VINYALS or MAML");
        if (nWay < 2) throw new DataException("n_way must be at least 2, got " + nWay);
        if (trainNWay < 2) throw new DataException("train_n_way must be at least 2, got " + trainNWay);
        this.location = location;
        this.protocol = protocol;
        this.trainNWay = trainNWay;
        this.nWay = nWay;
    }

    /** N of the tasks of {@code split}. */
    public int ways(Split split) {
        return split == Split.TRAIN ? trainNWay : nWay;
    }

    @Override
    public int inputSize() {
        return OmniglotDataset.PIXELS;
    }

    @Override
    public int outputSize() {
        return nWay;
    }

    @Override
    public boolean classification() {
        return true;
    }

    /** 28x28 grayscale. */
    @Override
    public Optional<ImageShape> imageShape() {
        return Optional.of(new ImageShape(OmniglotDataset.SIDE, 1));
    }

    /** The number of classes {@code split} draws from (for MAML, characters; each may be turned 4 ways). */
    public int classCount(Split split) {
        return pools().get(split).size();
    }

    /** The task of {@code spec}: {@code support} = K shots per class, {@code query} = Q queries per class. */
    @Override
    public Task materialize(TaskSpec spec, int support, int query) {
        Episode episode = episode(spec, support, query);
        OmniglotDataset images = data();
        return new Task(spec, episode.batch(images::copyTo, OmniglotDataset.PIXELS, 0, support),
                episode.batch(images::copyTo, OmniglotDataset.PIXELS, support, query));
    }

    /**
     * The training split's classes with all their drawings: where the split turns each character at random per task
     * (MAML's protocol), each of the four turns is a class, as Vinyals et al. count them. Examples are class-major:
     * example i is drawing {@code i % 20} of class {@code i / 20}.
     */
    @Override
    public Optional<LabelledExamples> trainingExamples() {
        ClassPool pool = pools().get(Split.TRAIN);
        int turns = pool.randomTurns() ? 4 : 1;
        return Optional.of(new LabelledExamples() {
            @Override
            public int classes() {
                return pool.size() * turns;
            }

            @Override
            public int size() {
                return classes() * OmniglotDataset.DRAWINGS;
            }

            @Override
            public int inputSize() {
                return OmniglotDataset.PIXELS;
            }

            @Override
            public int label(int example) {
                return example / OmniglotDataset.DRAWINGS;
            }

            @Override
            public void copy(int example, float[] dst, int at) {
                int cls = label(example);
                int c = cls / turns;
                int turn = pool.randomTurns() ? cls % turns : pool.quarterTurns()[c];
                data().copyTo(pool.characters()[c], example % OmniglotDataset.DRAWINGS, turn, dst, at);
            }
        });
    }

    Episode episode(TaskSpec spec, int shots, int queries) {
        ClassPool pool = pools().get(spec.split());
        int ways = ways(spec.split());
        checkSizes(spec.split(), pool, ways, shots, queries);
        long seed = Seeds.derive(spec.seed(), EPISODE_STREAM, spec.split().ordinal(), spec.step(), spec.index());
        return Episode.draw(new SplittableRandom(seed), new Episode.Pool() {
            public int size() {
                return pool.size();
            }

            public int classAt(int i) {
                return pool.characters()[i];
            }

            public int quarterTurnsAt(int i, SplittableRandom rng) {
                return pool.randomTurns() ? rng.nextInt(4) : pool.quarterTurns()[i];
            }

            public int imageCount(int cls) {
                return OmniglotDataset.DRAWINGS;
            }
        }, ways, shots + queries);
    }

    private void checkSizes(Split split, ClassPool pool, int ways, int shots, int queries) {
        if (shots < 1) throw new DataException("K (support examples per class) must be at least 1, got " + shots);
        if (queries < 0) throw new DataException("Q (query examples per class) must not be negative, got " + queries);
        if (shots + queries > OmniglotDataset.DRAWINGS) {
            throw new DataException("K + Q = " + shots + " + " + queries + " = " + (shots + queries)
                    + " drawings per class, but each Omniglot character has only " + OmniglotDataset.DRAWINGS);
        }
        if (ways > pool.size()) {
            throw new DataException((split == Split.TRAIN ? "train_n_way " : "n_way ") + ways + " is more than the "
                    + pool.size() + " classes of split "
                    + split + " under protocol " + protocol + " in " + location);
        }
    }

    private OmniglotDataset data() {
        OmniglotDataset d = data;
        if (d == null) data = d = OmniglotDataset.load(location);
        return d;
    }

    private Map<Split, ClassPool> pools() {
        Map<Split, ClassPool> p = pools;
        if (p == null) pools = p = ClassPools.of(location, protocol);
        return p;
    }

    @Override
    public String toString() {
        return "OmniglotFamily(" + location + ", " + protocol + ", "
                + (trainNWay == nWay ? "" : trainNWay + "-way training, ") + nWay + "-way)";
    }
}
