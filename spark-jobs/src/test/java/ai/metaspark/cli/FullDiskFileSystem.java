package ai.metaspark.cli;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * Chaos testing, in the test tree only: the local file system under the scheme {@code fulldisk://}, on a disk that
 * fills up while a chosen file is written. That write stores the bytes that fit and then fails with the message of
 * ENOSPC, as a full disk does; every later write fails too, until {@link #free()}. Registered through
 * META-INF/services, so a run folder {@code fulldisk:///tmp/run} goes through it like any Hadoop path.
 */
public final class FullDiskFileSystem extends RawLocalFileSystem {
    private static final URI NAME = URI.create("fulldisk:///");
    private static volatile String fillsWhileWriting;
    private static volatile long room;
    private static volatile boolean full;

    /** The disk fills up when a file whose path contains {@code pathFragment} is written, after {@code bytes} more bytes. */
    static void fillWhileWriting(String pathFragment, long bytes) {
        fillsWhileWriting = pathFragment;
        room = bytes;
        full = false;
    }

    /** Space is freed: writes succeed again. */
    static void free() {
        fillsWhileWriting = null;
        full = false;
    }

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return "fulldisk";
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return onThisDisk(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        return onThisDisk(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    private FSDataOutputStream onThisDisk(Path f, FSDataOutputStream out) {
        String fragment = fillsWhileWriting;
        return new FSDataOutputStream(new Disk(out, fragment != null && f.toString().contains(fragment)), statistics);
    }

    /** Writes through to the local file until the disk is full. */
    private static final class Disk extends FilterOutputStream {
        private final boolean fills;

        Disk(OutputStream out, boolean fills) {
            super(out);
            this.fills = fills;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (fills && !full) {
                int fit = (int) Math.min(len, room);
                out.write(b, off, fit);
                room -= fit;
                if (fit < len) full = true;
            } else if (!full) {
                out.write(b, off, len);
                return;
            }
            if (full) {
                out.flush();
                throw new IOException("No space left on device");
            }
        }
    }
}
