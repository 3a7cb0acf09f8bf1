package ai.metaspark.spark.table;

import ai.metaspark.data.table.KeyBuckets;
import ai.metaspark.data.table.KeyRows;
import ai.metaspark.data.table.KeySplit;
import ai.metaspark.data.table.TableSpec;
import ai.metaspark.io.Files;
import ai.metaspark.task.Split;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The executor side of the preparation: one Spark partition's rows, sorted by bucket and key, become the bucket files
 * of its buckets ({@link KeyBuckets}), and one {@link Summary} per bucket. Within a key, rows are put in a canonical
 * order (by label, then features), so the files and the statistics depend on the table's content only, never on how
 * Spark split it into partitions.
 */
final class BucketWriter implements FlatMapFunction<Iterator<Row>, BucketWriter.Summary> {
    private static final long serialVersionUID = 1L;
    private final TableSpec spec;
    private final String folder;
    private final int features;

    /**
     * What one bucket holds: its usable keys per split, and the training keys' feature statistics (rows, means and
     * sums of squared deviations, over its rows in canonical order).
     */
    record Summary(int bucket, long[] usable, long rows, double[] mean, double[] m2, int classes) implements Serializable {
    }

    BucketWriter(TableSpec spec, String folder, int features) {
        this.spec = spec;
        this.folder = folder;
        this.features = features;
    }

    @Override
    public Iterator<Summary> call(Iterator<Row> rows) throws IOException {
        FileSystem fs = Files.fileSystem(folder);
        List<Summary> out = new ArrayList<>();
        Bucket current = null;
        List<Row> keyRows = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            int bucket = (int) r.getLong(3);
            if (!keyRows.isEmpty() && (bucket != current.id || !r.getString(0).equals(keyRows.get(0).getString(0)))) {
                current.add(toKey(keyRows));
                keyRows.clear();
            }
            if (current == null || bucket != current.id) {
                if (current != null) out.add(current.finish(fs));
                current = new Bucket(bucket);
            }
            keyRows.add(r);
        }
        if (current != null) {
            current.add(toKey(keyRows));
            out.add(current.finish(fs));
        }
        return out.iterator();
    }

    /** A key's rows in canonical order: by label, then by features, as {@link Double#compare} orders them. */
    private KeyRows toKey(List<Row> rows) {
        int n = rows.size();
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) {
            List<Double> x = rows.get(i).getList(1);
            double[] v = new double[features + 1];
            v[0] = rows.get(i).getDouble(2);
            for (int j = 0; j < features; j++) v[j + 1] = x.get(j);
            r[i] = v;
        }
        Arrays.sort(r, BucketWriter::compareRows);
        double[] xs = new double[n * features];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            ys[i] = r[i][0];
            System.arraycopy(r[i], 1, xs, i * features, features);
        }
        return new KeyRows(rows.get(0).getString(0), n, xs, ys);
    }

    private static int compareRows(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Double.compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    /** One bucket being filled: its usable keys per split and its training rows' running statistics. */
    private final class Bucket {
        final int id;
        final List<List<KeyRows>> usable = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final double[] mean = new double[features];
        final double[] m2 = new double[features];
        long rows;
        int classes;

        Bucket(int id) {
            this.id = id;
        }

        void add(KeyRows key) {
            Split split = KeySplit.of(key.key(), spec.splitSeed(), spec.fractions());
            if (split == Split.TRAIN) addStatistics(key);
            int need = split == Split.TRAIN ? spec.minRows().train() : spec.minRows().heldOut();
            if (key.n() < need) return;
            usable.get(split.ordinal()).add(key);
            if (spec.classification()) classes = Math.max(classes, key.labels().length);
        }

        /** Welford's update, row by row in the key's canonical order. */
        private void addStatistics(KeyRows key) {
            for (int i = 0; i < key.n(); i++) {
                rows++;
                for (int j = 0; j < features; j++) {
                    double v = key.x()[i * features + j];
                    double d = v - mean[j];
                    mean[j] += d / rows;
                    m2[j] += d * (v - mean[j]);
                }
            }
        }

        Summary finish(FileSystem fs) throws IOException {
            long[] counts = new long[3];
            for (Split s : Split.values()) {
                List<KeyRows> keys = usable.get(s.ordinal());
                counts[s.ordinal()] = keys.size();
                if (!keys.isEmpty()) KeyBuckets.write(fs, KeyBuckets.file(folder, s, id), features, keys);
            }
            return new Summary(id, counts, rows, mean, m2, classes);
        }
    }
}
