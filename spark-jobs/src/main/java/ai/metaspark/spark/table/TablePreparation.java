package ai.metaspark.spark.table;

import ai.metaspark.config.Keys;
import ai.metaspark.data.DataException;
import ai.metaspark.data.table.TableProvider;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.spark.SparkRuntime;
import org.apache.spark.api.java.JavaSparkContext;
import java.io.PrintStream;
import ai.metaspark.data.table.KeySplit;
import ai.metaspark.data.table.TableIndex;
import ai.metaspark.data.table.TableSpec;
import ai.metaspark.io.Files;
import ai.metaspark.task.Split;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Turns a user's table into the prepared copy {@link ai.metaspark.data.table.TableFamily} draws tasks from, with Spark
 * SQL: the rows are read and checked ({@link TableReader}), counted per key (keys with too few rows for a task of
 * their split are skipped and counted), then repartitioned by a hash of the key into buckets and written, bucket by
 * bucket, by the executors ({@link BucketWriter}); the driver receives one small summary per bucket, never the rows,
 * and combines the training keys' feature statistics in bucket order. Everything goes to a hidden folder first and is
 * renamed into place with its {@code index.json}, so a failed or stopped preparation leaves nothing behind, and the
 * copy depends on the table's content only: the same bits for any number of input partitions.
 */
public final class TablePreparation {
    /** Keys per bucket the bucket count aims at (so that a task reads a bucket of about this many keys). */
    static final long KEYS_PER_BUCKET = 500;
    static final int MAX_BUCKETS = 4096;
    private final SparkSession spark;
    private final TableSpec spec;

    /** The classes a preparation's Spark tasks return, for Kryo's registration: the bucket summaries, one array per task. */
    public static List<Class<?>> kryoClasses() {
        return List.of(BucketWriter.Summary.class, BucketWriter.Summary[].class);
    }

    public TablePreparation(SparkSession spark, TableSpec spec) {
        this.spark = spark;
        this.spec = spec;
    }

    /**
     * Before a run of {@code recipe}: when its task is a table whose prepared copy is missing, prepares it with Spark
     * on {@code master} (null: spark-submit's, else embedded), saying what it read on {@code console}. Returns the Spark
     * context it started when {@code keepSpark} (for the run to join), else null: then any context it started is
     * stopped, as it is when the preparation fails.
     */
    public static JavaSparkContext ensure(Recipe recipe, String master, boolean keepSpark, PrintStream console) throws IOException {
        TableSpec spec = unprepared(recipe, console);
        return spec == null ? null : prepare(recipe, spec, master, keepSpark, console);
    }

    /** Like {@link #ensure(Recipe, String, boolean, PrintStream)}, on the running context {@code sc} (never stopped). */
    public static void ensure(Recipe recipe, JavaSparkContext sc, PrintStream console) throws IOException {
        TableSpec spec = unprepared(recipe, console);
        if (spec != null) prepare(spec, sc, console);
    }

    /**
     * Prepares {@code recipe}'s table {@code spec} (from {@link #unprepared(Recipe)}) with Spark on {@code master}, as
     * {@link #ensure(Recipe, String, boolean, PrintStream)} does once it has found no prepared copy.
     */
    public static JavaSparkContext prepare(Recipe recipe, TableSpec spec, String master, boolean keepSpark, PrintStream console)
            throws IOException {
        JavaSparkContext sc = SparkRuntime.start(SparkRuntime.conf(master, "metaspark " + recipe.config().get(Keys.ALGORITHM)));
        boolean keep = false;
        try {
            prepare(spec, sc, console);
            keep = keepSpark;
            return keep ? sc : null;
        } finally {
            if (!keep) sc.stop();
        }
    }

    /** The table of {@code recipe} when it has no prepared copy yet; null when it has one or is no table. Says nothing. */
    public static TableSpec unprepared(Recipe recipe) {
        return unprepared(recipe, null);
    }

    /** {@link #unprepared(Recipe)}, saying on {@code console} (when not null) where the prepared copy is. */
    private static TableSpec unprepared(Recipe recipe, PrintStream console) {
        if (!recipe.task().equals("table")) return null;
        TableSpec spec = TableProvider.spec(recipe.familyKeys());
        String folder = spec.preparedFolder();
        if (TableIndex.read(folder).isEmpty()) return spec;
        if (console != null) console.printf("table %s: prepared copy %s%n", spec.location(), folder);
        return null;
    }

    /** Prepares {@code spec} on the running context {@code sc}. */
    public static void prepare(TableSpec spec, JavaSparkContext sc, PrintStream console) throws IOException {
        console.printf("table %s: preparing (rows grouped by %s with Spark SQL)%n", spec.location(), spec.keyColumn());
        SparkSession session = SparkSession.builder().config(sc.getConf()).getOrCreate();
        console.println(new TablePreparation(session, spec).prepare().summary());
    }

    /** What a preparation did: the prepared folder, its index, and a line saying what was read and skipped. */
    public record Prepared(String folder, TableIndex index, String summary) {
    }

    /** Prepares the table (or finds it prepared) and returns where and what. */
    public Prepared prepare() throws IOException {
        List<FileStatus> files = spec.files();
        String folder = new Path(spec.cache(), spec.fingerprint(files)).toString();
        var existing = TableIndex.read(folder);
        if (existing.isPresent()) return new Prepared(folder, existing.get(), "table " + spec.location() + ": prepared copy " + folder);
        long t0 = System.nanoTime();
        TableReader reader = new TableReader(spark, spec, files);
        TableReader.Read read = reader.read();
        KeyCounts counts = countKeys(read.rows());
        counts.refuseEmptySplits();
        int buckets = (int) Math.max(1, Math.min(MAX_BUCKETS, (counts.keys + KEYS_PER_BUCKET - 1) / KEYS_PER_BUCKET));
        Path tmp = new Path(spec.cache(), "." + new Path(folder).getName() + "-" + UUID.randomUUID());
        FileSystem fs = Files.fileSystem(tmp.toString());
        try {
            TableIndex index = write(read, counts, buckets, tmp.toString());
            index.write(tmp.toString());
            // a copy another run finished meanwhile is the same bits: keep it (a rename onto it would nest ours inside)
            if (TableIndex.read(folder).isEmpty() && !fs.rename(tmp, new Path(folder))) {
                throw new IOException("cannot rename " + tmp + " to " + folder);
            }
            String line = summary(reader, index, counts, (System.nanoTime() - t0) / 1e9, folder);
            return new Prepared(folder, index, line);
        } finally {
            fs.delete(tmp, true);
        }
    }

    /** Rows and usable keys per split, and the skipped key with the fewest rows. */
    private KeyCounts countKeys(Dataset<Row> rows) {
        long seed = spec.splitSeed();
        double[] fractions = spec.fractions();
        UserDefinedFunction split = udf((UDF1<String, Integer>) k -> KeySplit.of(k, seed, fractions).ordinal(), DataTypes.IntegerType);
        Dataset<Row> perKey = rows.groupBy(TableReader.KEY).agg(count(lit(1)).as("n"))
                .withColumn("s", split.apply(col(TableReader.KEY)))
                .withColumn("ok", col("n").geq(when(col("s").equalTo(0), spec.minRows().train()).otherwise(spec.minRows().heldOut())));
        List<Row> perSplit = perKey.groupBy("s").agg(count(lit(1)), sum(col("n")), sum(when(col("ok"), 1).otherwise(0)),
                min(when(col("ok").equalTo(false), struct(col("n"), col(TableReader.KEY))))).collectAsList();
        KeyCounts c = new KeyCounts();
        for (Row r : perSplit) {
            int s = r.getInt(0);
            c.keys += r.getLong(1);
            c.rows += r.getLong(2);
            c.usable[s] = r.getLong(3);
            c.skipped[s] = r.getLong(1) - r.getLong(3);
            if (!r.isNullAt(4)) {
                c.fewestRows[s] = r.getStruct(4).getLong(0);
                c.fewestRowsKey[s] = r.getStruct(4).getString(1);
            }
        }
        return c;
    }

    /** Per split: keys, usable keys, skipped keys and the skipped key with the fewest rows. */
    private final class KeyCounts {
        long rows;
        long keys;
        final long[] usable = new long[3];
        final long[] skipped = new long[3];
        final long[] fewestRows = new long[3];
        final String[] fewestRowsKey = new String[3];

        /** Training and test need keys; validation may be empty (a run with val_every 0). */
        void refuseEmptySplits() {
            for (Split s : new Split[]{Split.TRAIN, Split.TEST}) {
                if (usable[s.ordinal()] > 0) continue;
                int need = s == Split.TRAIN ? spec.minRows().train() : spec.minRows().heldOut();
                String name = s.name().toLowerCase(Locale.ROOT);
                throw new DataException("table " + spec.location() + ": the " + name + " split has no key with at least "
                        + need + " rows (" + (s == Split.TRAIN ? "k_shot + k_query" : "k_shot + eval_query") + ")"
                        + (skipped[s.ordinal()] == 0 ? "; it has no keys at all (class_split " + fractions() + ")"
                        : ": its " + skipped[s.ordinal()] + " keys have fewer, such as key '" + fewestRowsKey[s.ordinal()]
                        + "' with " + fewestRows[s.ordinal()] + " row" + (fewestRows[s.ordinal()] == 1 ? "" : "s")));
            }
        }

        TableIndex.Counts toIndex() {
            return new TableIndex.Counts(rows, keys, usable, skipped, fewestRowsKey, fewestRows);
        }
    }

    private String fractions() {
        double[] f = spec.fractions();
        return f[0] + "," + f[1] + "," + f[2];
    }

    /** Writes the bucket files on the executors and combines their summaries into the index. */
    private TableIndex write(TableReader.Read read, KeyCounts counts, int buckets, String tmp) {
        Dataset<Row> keyed = read.rows().withColumn("b", pmod(xxhash64(col(TableReader.KEY)), lit((long) buckets)))
                .repartition(buckets, col("b")).sortWithinPartitions("b", TableReader.KEY);
        List<BucketWriter.Summary> summaries = new ArrayList<>(keyed.javaRDD()
                .mapPartitions(new BucketWriter(spec, tmp, read.features().size())).collect());
        summaries.sort(Comparator.comparingInt(BucketWriter.Summary::bucket));
        int d = read.features().size();
        long[][] keys = new long[3][buckets];
        double[] mean = new double[d];
        double[] m2 = new double[d];
        long n = 0;
        int classes = 0;
        for (BucketWriter.Summary s : summaries) {
            for (int split = 0; split < 3; split++) keys[split][s.bucket()] = s.usable()[split];
            classes = Math.max(classes, s.classes());
            if (s.rows() == 0) continue;
            long total = n + s.rows();
            for (int j = 0; j < d; j++) { // Chan et al.'s pairwise combination, in bucket order
                double delta = s.mean()[j] - mean[j];
                mean[j] += delta * s.rows() / total;
                m2[j] += s.m2()[j] + delta * delta * ((double) n * s.rows() / total);
            }
            n = total;
        }
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            double sd = n > 0 ? Math.sqrt(m2[j] / n) : 0;
            std[j] = sd > 0 && Double.isFinite(sd) ? sd : 1;
        }
        return new TableIndex(spec.location(), read.features(), mean, std, classes, keys, counts.toIndex());
    }

    private String summary(TableReader reader, TableIndex index, KeyCounts c, double seconds, String folder) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "table %s: %,d rows of %,d keys, %d features %s; keys",
                reader, c.rows, c.keys, index.features().size(), index.features()));
        for (Split split : Split.values()) {
            int i = split.ordinal();
            int need = split == Split.TRAIN ? spec.minRows().train() : spec.minRows().heldOut();
            s.append(String.format(Locale.ROOT, " %s %,d", split == Split.VALIDATION ? "validation" : split.name().toLowerCase(Locale.ROOT), c.usable[i]));
            if (c.skipped[i] > 0) s.append(String.format(Locale.ROOT, " (skipped %,d with fewer than %d rows)", c.skipped[i], need));
            s.append(i < 2 ? "," : ";");
        }
        s.append(String.format(Locale.ROOT, " grouped by key into %d buckets in %.1f s -> %s", index.buckets(), seconds, folder));
        return s.toString();
    }
}
