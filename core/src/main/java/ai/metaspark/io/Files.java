package ai.metaspark.io;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/** Atomic writes through the Hadoop FileSystem API: write a hidden temporary file, then rename it into place. */
public final class Files {
    private Files() {
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
