package ai.metaspark.data.imagefolder;

import ai.metaspark.data.DataException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The layout of an image folder: its sub-folders are the classes, sorted by name (as torchvision's
 * {@code ImageFolder}); hidden ({@code .name}) and Hadoop marker ({@code _name}) folders are not classes, nor are the
 * files beside the class folders (split lists, a README).
 */
final class ClassFolders {
    private ClassFolders() {
    }

    /** The class folders of {@code root}, sorted by name; refuses a missing folder, none, or two names equal but for case. */
    static List<Path> of(FileSystem fs, Path root) {
        List<Path> folders = new ArrayList<>();
        for (FileStatus s : listSorted(fs, root, "image folder")) {
            String name = s.getPath().getName();
            if (s.isDirectory() && !name.startsWith(".") && !name.startsWith("_")) folders.add(s.getPath());
        }
        if (folders.isEmpty()) {
            throw new DataException("image folder " + root + " has no class folders (expected one sub-folder of images per class)");
        }
        refuseCaseCollisions(folders, root);
        return folders;
    }

    /** The entries of {@code folder}, sorted by name; {@code what} names the folder in errors. */
    static List<FileStatus> listSorted(FileSystem fs, Path folder, String what) {
        try {
            if (!fs.getFileStatus(folder).isDirectory()) throw new DataException(what + " " + folder + " is not a folder");
            FileStatus[] entries = fs.listStatus(folder);
            Arrays.sort(entries, Comparator.comparing(s -> s.getPath().getName()));
            return List.of(entries);
        } catch (FileNotFoundException e) {
            throw new DataException(what + " not found: " + folder);
        } catch (IOException e) {
            throw new DataException("cannot list " + what + " " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Two class folders whose names differ only in case ({@code Cat}, {@code cat}) cannot both exist on a
     * case-insensitive file system, and copying the data set there would merge them into one class.
     */
    private static void refuseCaseCollisions(List<Path> folders, Path root) {
        Map<String, String> byFolded = new HashMap<>();
        for (Path p : folders) {
            String name = p.getName();
            String other = byFolded.putIfAbsent(name.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), name);
            if (other != null) {
                throw new DataException("class folders '" + other + "' and '" + name + "' in " + root + " differ only in "
                        + "case; rename one (a case-insensitive file system, or a copy to one, would merge them)");
            }
        }
    }
}
