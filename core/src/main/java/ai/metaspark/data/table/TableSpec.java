package ai.metaspark.data.table;

import ai.metaspark.data.DataException;
import ai.metaspark.io.Files;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What a table recipe reads and how its keys become tasks.
 *
 * @param location   the table: one file or a folder of files (any Hadoop path, resolved)
 * @param format     parquet, csv, or auto (by the files' extension)
 * @param keyColumn  the column whose values are the tasks
 * @param features   the input columns, or one array or vector column; empty: every numeric column but key and label
 * @param label      the target column
 * @param classification whether labels are classes (else regression values)
 * @param fractions  the training, validation and test fractions of the keys
 * @param splitSeed  the seed of the key hash that splits them
 * @param minRows    rows a key needs to be a task: training keys K + Q, validation and test keys K + the test's Q
 * @param cache      the folder prepared tables are kept in, one sub-folder per {@link #fingerprint}
 */
public record TableSpec(String location, String format, String keyColumn, List<String> features, String label,
                        boolean classification, double[] fractions, long splitSeed, MinRows minRows, String cache)
        implements Serializable {
    /** The version of the prepared layout: part of every fingerprint, so a change of layout prepares again. */
    static final int LAYOUT = 1;

    /** The rows a key of each split needs. */
    public record MinRows(int train, int heldOut) implements Serializable {
    }

    /**
     * The data files of the table, sorted by path: {@code location} itself when it is a file, else the files below it
     * whose names do not start with {@code .} or {@code _} (Spark's {@code _SUCCESS}, hidden files), and with format
     * auto only those with the extension of the format (a README beside the part files is not data).
     */
    public List<FileStatus> files() {
        List<FileStatus> all = listing();
        if (!format.equals("auto") || all.size() == 1) return all;
        String extension = "." + resolvedFormat(all);
        return all.stream().filter(f -> f.getPath().getName().toLowerCase(Locale.ROOT).endsWith(extension)).toList();
    }

    private List<FileStatus> listing() {
        FileSystem fs = Files.fileSystem(location);
        Path root = new Path(location);
        try {
            FileStatus top = fs.getFileStatus(root);
            if (top.isFile()) return List.of(top);
            List<FileStatus> out = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                if (!hidden(root, f.getPath())) out.add(f);
            }
            out.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
            if (out.isEmpty()) throw new DataException("table folder " + location + " holds no data files");
            return out;
        } catch (FileNotFoundException e) {
            throw new DataException("table not found: " + location);
        } catch (IOException e) {
            throw new DataException("cannot list table " + location + ": " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path root, Path p) {
        for (Path q = p; q != null && !q.equals(root) && q.depth() > root.depth(); q = q.getParent()) {
            if (q.getName().startsWith(".") || q.getName().startsWith("_")) return true;
        }
        return false;
    }

    /** The format the files are read in: {@link #format}, or for auto the one their extensions name. */
    public String resolvedFormat(List<FileStatus> files) {
        if (!format.equals("auto")) return format;
        boolean parquet = files.stream().anyMatch(f -> f.getPath().getName().toLowerCase(Locale.ROOT).endsWith(".parquet"));
        boolean csv = files.stream().anyMatch(f -> f.getPath().getName().toLowerCase(Locale.ROOT).endsWith(".csv"));

        if (parquet != csv) return parquet ? "parquet" : "csv";
        throw new DataException("table " + location + ": cannot tell its format from its files' names ("
                + (parquet ? "both .parquet and .csv files" : "neither .parquet nor .csv files, such as "
                + files.get(0).getPath().getName()) + "); set table_format to parquet or csv");
    }

    /**
     * A name for the prepared copy of this table under these settings: a SHA-256 prefix of the layout version, the
     * settings, and every data file's path, length and modification time. A changed file, or a change of any setting
     * that shapes the copy, gives another name, so a stale copy is never read.
     */
    public String fingerprint(List<FileStatus> files) {
        StringBuilder s = new StringBuilder();
        s.append(LAYOUT).append('|').append(location).append('|').append(resolvedFormat(files)).append('|').append(keyColumn)
                .append('|').append(features).append('|').append(label).append('|').append(classification).append('|')
                .append(Arrays.toString(fractions)).append('|').append(splitSeed).append('|').append(minRows);
        for (FileStatus f : files) {
            s.append('\n').append(f.getPath()).append('|').append(f.getLen()).append('|').append(f.getModificationTime());
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The prepared folder of this table as it is now: {@code cache/<fingerprint>}. */
    public String preparedFolder() {
        return new Path(cache, fingerprint(files())).toString();
    }
}
