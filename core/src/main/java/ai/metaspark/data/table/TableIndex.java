package ai.metaspark.data.table;

import ai.metaspark.data.DataException;
import ai.metaspark.io.Files;
import ai.metaspark.io.Json;
import ai.metaspark.task.Split;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.List;

/**
 * What the preparation learned about a table, written last into its prepared folder ({@code index.json}, so a
 * folder without it is unfinished): the features, the standardization, the usable keys per split and bucket, and
 * what was read and skipped.
 *
 * @param table      the table it was prepared from
 * @param features   the feature names, in input order (an array column's elements as {@code name[i]})
 * @param mean       per feature, its mean over the rows of the training keys
 * @param std        per feature, its standard deviation over those rows (1 where it is 0)
 * @param classes    classification: the most distinct labels of a usable key (the network's outputs); 0 for regression
 * @param keys       per split (train, validation, test) and bucket, the keys usable as tasks
 * @param counts     what was read and skipped
 */
public record TableIndex(@JsonProperty("table") String table,
                         @JsonProperty("features") List<String> features,
                         @JsonProperty("mean") double[] mean,
                         @JsonProperty("std") double[] std,
                         @JsonProperty("classes") int classes,
                         @JsonProperty("keys") long[][] keys,
                         @JsonProperty("counts") Counts counts) implements Serializable {
    static final String FILE = "index.json";

    /**
     * What was read: rows and keys, per split the keys usable as tasks and those skipped for too few rows (with the
     * key of fewest rows among them, for the message that names one).
     */
    public record Counts(@JsonProperty("rows") long rows,
                         @JsonProperty("keys") long keys,
                         @JsonProperty("usable") long[] usable,
                         @JsonProperty("skipped") long[] skipped,
                         @JsonProperty("fewest_rows_key") String[] fewestRowsKey,
                         @JsonProperty("fewest_rows") long[] fewestRows) implements Serializable {
    }

    /** The number of buckets. */
    public int buckets() {
        return keys[0].length;
    }

    /** The usable keys of {@code split}. */
    public long keyCount(Split split) {
        long n = 0;
        for (long k : keys[split.ordinal()]) n += k;
        return n;
    }

    /** Writes this index into the prepared folder {@code prepared} (the last file the preparation writes). */
    public void write(String prepared) throws IOException {
        FileSystem fs = Files.fileSystem(prepared);
        Files.writeAtomically(fs, new Path(prepared, FILE), Json.pretty(this));
    }

    /** The index of the prepared folder {@code prepared}; empty when the folder is not (completely) prepared. */
    public static java.util.Optional<TableIndex> read(String prepared) {
        FileSystem fs = Files.fileSystem(prepared);
        try (InputStream in = fs.open(new Path(prepared, FILE))) {
            return java.util.Optional.of(Json.MAPPER.readValue(in, TableIndex.class));
        } catch (FileNotFoundException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new DataException("cannot read " + new Path(prepared, FILE) + ": " + e.getMessage(), e);
        }
    }
}
