package ai.metaspark.io;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.RunConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/**
 * Paths a user gives, through the Hadoop FileSystem API: looking up the file system of a path, reading a YAML config,
 * and atomic writes (a hidden temporary file, then a rename into place).
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

    /** Reads the YAML config at {@code location} and applies {@code KEY=VALUE} overrides. */
    public static RunConfig readConfig(String location, List<String> overrides) {
        FileSystem fs = fileSystem(location);
        try (InputStream in = fs.open(new Path(location))) {
            return RunConfig.fromYaml(in, location, overrides);
        } catch (FileNotFoundException e) {
            throw new ConfigException("config file not found: " + location);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + location + ": " + e.getMessage(), e);
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

    /** Writes a file's content. */
    public interface Body {
        void write(FSDataOutputStream out) throws IOException;
    }
}
