package ai.metaspark.data.table;

import ai.metaspark.data.DataException;
import ai.metaspark.io.Files;
import ai.metaspark.task.Split;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The files of a prepared table: for each split and bucket, the keys of that split that hash to the bucket, in key
 * order, each with its rows. A file is a magic number, the feature count and the key count, then per key its UTF-8
 * name, its row count, its features (row-major) and its labels, all big-endian: exact doubles, no Java serialization.
 * Written once by the preparation (each file by one Spark task), read by every JVM that draws tasks of the bucket.
 */
public final class KeyBuckets {
    private static final int MAGIC = 0x4D53544B; // "MSTK"

    private KeyBuckets() {
    }

    /** The file of {@code split}'s keys in {@code bucket}, inside the prepared folder {@code prepared}. */
    public static Path file(String prepared, Split split, int bucket) {
        return new Path(prepared, String.format(Locale.ROOT, "%s-%05d.bin", split.name().toLowerCase(Locale.ROOT), bucket));
    }

    /** Writes {@code keys} (each with {@code features} features per row) to {@code file}, replacing it atomically. */
    public static void write(FileSystem fs, Path file, int features, List<KeyRows> keys) throws IOException {
        Files.writeAtomically(fs, file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(features);
            out.writeInt(keys.size());
            for (KeyRows k : keys) {
                out.writeUTF(k.key());
                out.writeInt(k.n());
                for (double v : k.x()) out.writeDouble(v);
                for (double v : k.y()) out.writeDouble(v);
            }
            out.flush();
        });
    }

    /** Reads the keys of {@code file}, which must hold {@code features} features per row. */
    public static KeyRows[] read(Path file, int features) {
        FileSystem fs = Files.fileSystem(file.toString());
        try (FSDataInputStream raw = fs.open(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != features) {
                throw new DataException(file + " is not a prepared table file with " + features + " features");
            }
            KeyRows[] keys = new KeyRows[in.readInt()];
            for (int i = 0; i < keys.length; i++) {
                String key = in.readUTF();
                int n = in.readInt();
                double[] x = new double[n * features];
                double[] y = new double[n];
                for (int j = 0; j < x.length; j++) x[j] = in.readDouble();
                for (int j = 0; j < n; j++) y[j] = in.readDouble();
                keys[i] = new KeyRows(key, n, x, y);
            }
            return keys;
        } catch (IOException e) {
            throw new DataException("cannot read prepared table file " + file + ": " + e.getMessage(), e);
        }
    }
}
