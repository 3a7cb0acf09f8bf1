package ai.metaspark.data.table;

import ai.metaspark.data.DataException;
import ai.metaspark.data.Draws;
import ai.metaspark.data.JvmCache;
import ai.metaspark.task.Batch;
import ai.metaspark.task.Seeds;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskFamily;
import ai.metaspark.task.TaskSpec;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One task per key of a user's table ({@code task: table}), drawn from its prepared copy (see {@link TableIndex},
 * {@link KeyBuckets}). A training task is a key drawn uniformly from the training keys; validation and test task i
 * is key {@code (i * stride) mod n} of the split's n keys, stride coprime to n, so the first n held-out tasks are n
 * different keys. A task's support and query rows are distinct rows of its key, drawn at random: the support set first.
 * Every draw comes from {@code Seeds.derive(spec.seed(), ROWS_STREAM)}; a spec gives the same task on any machine.
 * <p>
 * Features are standardized with the training keys' means and standard deviations. Regression targets are the labels;
 * classification targets are one-hot over {@code classes} outputs, the key's distinct labels (sorted) taking the
 * first outputs in a random order per task. The family holds its settings and the index; the rows come from the
 * per-JVM cache of bucket files on first use.
 */
public final class TableFamily implements TaskFamily {
    private static final long serialVersionUID = 1L;
    static final long ROWS_STREAM = 0x54424C52L; // "TBLR"
    private static final JvmCache<String, KeyRows[]> BUCKETS = new JvmCache<>();
    private final TableSpec spec;
    private final String prepared;
    private final TableIndex index;
    private transient volatile long[][] firstKey;

    /** The tasks of {@code spec}'s table, prepared in {@code prepared} (which holds {@code index}). */
    public TableFamily(TableSpec spec, String prepared, TableIndex index) {
        this.spec = spec;
        this.prepared = prepared;
        this.index = index;
    }

    /** The index of the prepared table. */
    public TableIndex index() {
        return index;
    }

    @Override
    public int inputSize() {
        return index.features().size();
    }

    @Override
    public int outputSize() {
        return spec.classification() ? index.classes() : 1;
    }

    @Override
    public boolean classification() {
        return spec.classification();
    }

    /** The task of {@code spec}: {@code support} support rows and {@code query} query rows of one key. */
    @Override
    public Task materialize(TaskSpec task, int support, int query) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(task.seed(), ROWS_STREAM));
        KeyRows key = key(task, rng);
        if (support < 1 || query < 1 || support + query > key.n()) {
            throw new DataException("a task of key '" + key.key() + "' needs " + support + " support and " + query
                    + " query rows; it has " + key.n());
        }
        int[] rows = Draws.distinct(rng, key.n(), support + query);
        double[] labels = spec.classification() ? key.labels() : null;
        int[] classes = labels == null ? null : Draws.permutation(rng, labels.length);
        return new Task(task, batch(key, rows, 0, support, labels, classes), batch(key, rows, support, query, labels, classes));
    }

    /** The key of {@code task}: uniform over the training keys, a stride through the held-out keys. */
    private KeyRows key(TaskSpec task, SplittableRandom rng) {
        long n = index.keyCount(task.split());
        if (n == 0) {
            throw new DataException("the " + task.split().name().toLowerCase(Locale.ROOT) + " split of table "
                    + spec.location() + " has no keys");
        }
        long position = task.split() == Split.TRAIN ? rng.nextLong(n) : Math.floorMod(task.index() * stride(n), n);
        long[] first = firstKeys(task.split());
        int bucket = Arrays.binarySearch(first, position);
        bucket = bucket >= 0 ? lastBucketStarting(first, bucket) : -bucket - 2;
        KeyRows[] keys = BUCKETS.get(KeyBuckets.file(prepared, task.split(), bucket).toString(),
                f -> KeyBuckets.read(new org.apache.hadoop.fs.Path(f), inputSize()));
        return keys[(int) (position - first[bucket])];
    }

    /** Among buckets starting at the same position (empty ones), the last: the one that holds the key. */
    private static int lastBucketStarting(long[] first, int bucket) {
        while (bucket + 1 < first.length && first[bucket + 1] == first[bucket]) bucket++;
        return bucket;
    }

    /** The smallest stride >= 0.618 n coprime to n: the held-out tasks' walk through the keys. */
    static long stride(long n) {
        long s = Math.max(1, (long) (0.6180339887 * n));
        while (gcd(s, n) != 1) s++;
        return s;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Per bucket, the position of its first key among the split's keys. */
    private long[] firstKeys(Split split) {
        long[][] f = firstKey;
        if (f == null) {
            f = new long[3][];
            for (int s = 0; s < 3; s++) {
                long[] counts = index.keys()[s];
                f[s] = new long[counts.length];
                for (int b = 1; b < counts.length; b++) f[s][b] = f[s][b - 1] + counts[b - 1];
            }
            firstKey = f;
        }
        return f[split.ordinal()];
    }

    /** Rows {@code from..from+count-1} of {@code rows}; classification: label {@code labels[i]} is class {@code classes[i]}. */
    private Batch batch(KeyRows key, int[] rows, int from, int count, double[] labels, int[] classes) {
        int d = inputSize();
        int out = outputSize();
        double[] x = new double[count * d];
        double[] y = new double[count * out];
        for (int i = 0; i < count; i++) {
            int r = rows[from + i];
            for (int j = 0; j < d; j++) x[i * d + j] = (key.x()[r * d + j] - index.mean()[j]) / index.std()[j];
            if (classes == null) y[i] = key.y()[r];
            else y[i * out + classes[Arrays.binarySearch(labels, key.y()[r])]] = 1;
        }
        return new Batch(count, d, out, x, y);
    }

    @Override
    public String toString() {
        return "TableFamily(" + spec.location() + ", " + (spec.classification() ? "classification" : "regression") + ", "
                + inputSize() + " features)";
    }
}
