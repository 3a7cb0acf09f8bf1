package ai.metaspark.io;

import ai.metaspark.config.ConfigException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.net.URI;

/**
 * Paths a user gives, through the Hadoop FileSystem API: looking up the file system of a path, and atomic writes (a
 * hidden temporary file, then a rename into place).
 */
public final class Files {
    private Files() {
    }

    /** The file system of {@code location} ({@code file://}, {@code hdfs://}, ...); refuses one that is not configured. */
    public static FileSystem fileSystem(String location) {
        try {
            FileSystem fs = FileSystem.get(URI.create(location), new Configuration());
            fs.setWriteChecksum(false);     // no .crc sidecar files on file://; checkpoints carry their own CRC32
            return fs;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot use path " + location + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to {@code target} so that readers see the old file or the whole new one, never a part. */
    public static void writeAtomically(FileSystem fs, Path target, byte[] bytes) throws IOException {
        writeAtomically(fs, target, out -> out.write(bytes));
    }

    /** Like {@link #writeAtomically(FileSystem, Path, byte[])}, with the content written by {@code body}. */
    public static void writeAtomically(FileSystem fs, Path target, Body body) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            body.write(out);
        }
        if (fs.exists(target) && !fs.delete(target, false)) {
            throw new IOException("cannot replace " + target);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    /**
     * Refuses an {@code --out} that exists and is not an empty folder ({@link ConfigException}); an absent one passes.
     */
    public static void refuseNonEmptyOut(FileSystem fs, Path root) {
        try {
            FileStatus status = fs.getFileStatus(root);
            if (!status.isDirectory() || fs.listStatus(root).length > 0) {
                throw new ConfigException("--out " + root + " exists and is not an empty folder; give a new or an empty one");
            }
        } catch (java.io.FileNotFoundException e) {
            // absent: the caller writes it
        } catch (IOException e) {
            throw new ConfigException("cannot use --out " + root + ": " + e.getMessage(), e);
        }
    }

    /** Writes a file's content. */
    public interface Body {
        void write(FSDataOutputStream out) throws IOException;
    }
}
