package ai.metaspark.data.omniglot;

import ai.metaspark.data.DataException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Streams the two Omniglot zips of a folder through the Hadoop FileSystem API (never copied to local disk) into the
 * PNG bytes of every drawing. Layout: {@code <set>/<Alphabet>/character<NN>/<NNNN>_<DD>.png}, with NNNN the global
 * character id and DD the drawer. Public for the example image folder, which copies drawings as they are.
 */
public final class OmniglotZips {
    static final List<String> SETS = List.of("images_background", "images_evaluation");
    private static final Pattern ENTRY = Pattern.compile("([^/]+)/([^/]+/character\\d+)/(\\d{4})_(\\d{2})\\.png");
    private static final int EOCD_SIZE = 22;
    private static final int EOCD_SIGNATURE = 0x06054b50;

    /** One drawing: its character ({@code Alphabet/characterNN}), global character id, drawer 1..20 and PNG bytes. */
    public record Drawing(String character, int id, int drawer, byte[] png, String where) {
    }

    private OmniglotZips() {
    }

    /** All drawings of both zips in {@code folder}. */
    public static List<Drawing> read(FileSystem fs, Path folder) {
        requireFolder(fs, folder);
        List<Drawing> all = new ArrayList<>();
        for (String set : SETS) all.addAll(readZip(fs, new Path(folder, set + ".zip"), set));
        return all;
    }

    private static void requireFolder(FileSystem fs, Path folder) {
        try {
            if (!fs.getFileStatus(folder).isDirectory()) {
                throw new DataException("Omniglot location " + folder + " is not a folder");
            }
        } catch (FileNotFoundException e) {
            throw new DataException("Omniglot folder not found: " + folder);
        } catch (IOException e) {
            throw new DataException("cannot read Omniglot folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static List<Drawing> readZip(FileSystem fs, Path zip, String set) {
        int declared = declaredEntries(fs, zip);
        List<Drawing> drawings = new ArrayList<>();
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(fs.open(zip), 1 << 16))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; entries++) {
                if (e.isDirectory() || ignored(e.getName())) continue;
                drawings.add(drawing(zip, set, e.getName(), in.readAllBytes()));
            }
        } catch (IOException e) {
            throw new DataException("corrupt or truncated zip " + zip + ": " + e, e);
        }
        if (declared >= 0 && entries != declared) {
            throw new DataException("truncated or corrupt zip " + zip + ": its directory lists " + declared
                    + " entries but only " + entries + " could be read");
        }
        if (drawings.isEmpty()) throw new DataException("zip " + zip + " holds no Omniglot drawings " + set + "/...png");
        return drawings;
    }

    private static Drawing drawing(Path zip, String set, String name, byte[] png) {
        Matcher m = ENTRY.matcher(name);
        if (!m.matches() || !m.group(1).equals(set)) {
            throw new DataException("zip " + zip + ": entry " + name + " is not " + set
                    + "/<Alphabet>/character<NN>/<NNNN>_<DD>.png; is this an Omniglot folder?");
        }
        return new Drawing(m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), png, zip + "!" + name);
    }

    /** Archive-tool clutter that is not data ({@code __MACOSX/}, dot files). */
    private static boolean ignored(String name) {
        return name.startsWith("__MACOSX/") || name.substring(name.lastIndexOf('/') + 1).startsWith(".");
    }

    /**
     * The entry count in the zip's end-of-central-directory record, or -1 for a zip64 archive. A streamed zip that is
     * cut off at an entry boundary reads without error, so this count is what reveals the truncation.
     */
    private static int declaredEntries(FileSystem fs, Path zip) {
        try {
            FileStatus status = fs.getFileStatus(zip);
            int tailLength = (int) Math.min(status.getLen(), EOCD_SIZE + 0xFFFF);
            byte[] tail = new byte[tailLength];
            try (FSDataInputStream in = fs.open(zip)) {
                in.readFully(status.getLen() - tailLength, tail);
            }
            return entriesInEocd(tail, zip);
        } catch (FileNotFoundException e) {
            throw new DataException("missing Omniglot zip " + zip + " (the folder must hold "
                    + String.join(".zip and ", SETS) + ".zip)");
        } catch (IOException e) {
            throw new DataException("cannot read zip " + zip + ": " + e, e);
        }
    }

    private static int entriesInEocd(byte[] tail, Path zip) {
        for (int at = tail.length - EOCD_SIZE; at >= 0; at--) {
            if (le(tail, at, 4) == EOCD_SIGNATURE) {
                int total = le(tail, at + 10, 2);
                return total == 0xFFFF ? -1 : total;
            }
        }
        throw new DataException("truncated or not a zip: " + zip + " has no end-of-central-directory record");
    }

    private static int le(byte[] b, int at, int bytes) {
        int v = 0;
        for (int k = bytes - 1; k >= 0; k--) v = (v << 8) | (b[at + k] & 0xFF);
        return v;
    }
}
