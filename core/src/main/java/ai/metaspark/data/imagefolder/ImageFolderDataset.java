package ai.metaspark.data.imagefolder;

import ai.metaspark.data.DataException;
import ai.metaspark.data.JvmCache;
import ai.metaspark.data.Pixels;
import ai.metaspark.io.Files;
import ai.metaspark.task.ImageShape;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The decoded images of an image folder (any Hadoop path), one class per class folder ({@link ClassFolders}), each
 * image converted by {@link Images} to the {@link ImageShape} asked for and kept as one byte per value. Decoded once
 * per JVM, location and shape through {@link #load}, class folders in parallel. Files that are not PNG, JPEG, GIF or
 * BMP images, and folders inside class folders, are skipped and counted ({@link Skipped}); a class folder may end up
 * with no image, and then holds none.
 */
public final class ImageFolderDataset {
    private static final JvmCache<String, ImageFolderDataset> CACHE = new JvmCache<>();
    private static final int EXAMPLES_KEPT = 3;

    private final String location;
    private final ImageShape shape;
    private final List<String> names;
    private final Map<String, Integer> index = new HashMap<>();
    private final byte[][] pixels;
    private final Skipped skipped;
    private final double seconds;
    private final int[][] turns;

    /**
     * What the reader passed over: files that are not images ({@code nonImages}, the first few of them by path
     * within the folder in {@code nonImageExamples}) and folders inside class folders ({@code nestedFolders}).
     */
    public record Skipped(int nonImages, List<String> nonImageExamples, int nestedFolders) {
    }

    /** One class folder, decoded: {@code count} images of {@code pixels.length / count} bytes. */
    private record ClassImages(String name, byte[] pixels, Skipped skipped) {
    }

    private ImageFolderDataset(String location, ImageShape shape, List<ClassImages> classes, double seconds) {
        this.location = location;
        this.shape = shape;
        this.names = classes.stream().map(ClassImages::name).toList();
        this.pixels = classes.stream().map(ClassImages::pixels).toArray(byte[][]::new);
        this.skipped = merge(classes);
        this.seconds = seconds;
        this.turns = Pixels.quarterTurns(shape.side());
        for (int c = 0; c < names.size(); c++) index.put(names.get(c), c);
    }

    /** The image folder {@code location} as images of {@code shape}, decoded on the first call in this JVM. */
    public static ImageFolderDataset load(String location, ImageShape shape) {
        String qualified = qualified(location);
        return CACHE.get(qualified + " " + shape, key -> decode(qualified, shape));
    }

    /** {@code location} as a fully qualified path, so that one folder named two ways is one cache entry. */
    static String qualified(String location) {
        if (location == null || location.isBlank()) throw new DataException("no image folder given (data is empty)");
        return Files.fileSystem(location).makeQualified(new Path(location)).toString();
    }

    private static ImageFolderDataset decode(String location, ImageShape shape) {
        long start = System.nanoTime();
        FileSystem fs = Files.fileSystem(location);
        List<Path> folders = ClassFolders.of(fs, new Path(location));
        List<ClassImages> classes = IntStream.range(0, folders.size()).parallel()
                .mapToObj(c -> decodeClass(fs, folders.get(c), shape)).toList();
        ImageFolderDataset data = new ImageFolderDataset(location, shape, classes, (System.nanoTime() - start) / 1e9);
        if (data.totalImages() == 0) {
            throw new DataException("none of the " + folders.size() + " class folders in " + location + " holds a PNG, "
                    + "JPEG, GIF or BMP image" + (data.skipped.nonImages() == 0 ? ""
                    : " (skipped " + data.skipped.nonImages() + " other files such as " + data.skipped.nonImageExamples() + ")"));
        }
        return data;
    }

    private static ClassImages decodeClass(FileSystem fs, Path folder, ImageShape shape) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> nonImages = new ArrayList<>();
        int nested = 0;
        for (FileStatus f : ClassFolders.listSorted(fs, folder, "class folder")) {
            if (f.isDirectory()) {
                nested++;
                continue;
            }
            BufferedImage image = read(fs, f.getPath());
            if (image == null) {
                nonImages.add(folder.getName() + "/" + f.getPath().getName());
            } else {
                bytes.writeBytes(Images.convert(image, shape));
            }
        }
        int count = nonImages.size();
        return new ClassImages(folder.getName(), bytes.toByteArray(),
                new Skipped(count, List.copyOf(nonImages.subList(0, Math.min(EXAMPLES_KEPT, count))), nested));
    }

    /** The image in {@code file}, or null when it is not one; only a few header bytes of a non-image are read. */
    private static BufferedImage read(FileSystem fs, Path file) {
        try (FSDataInputStream raw = fs.open(file); ImageInputStream in = new MemoryCacheImageInputStream(raw)) {
            return Images.decode(in, file.toString());
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Skipped merge(List<ClassImages> classes) {
        int nonImages = 0;
        int nested = 0;
        List<String> examples = new ArrayList<>();
        for (ClassImages c : classes) {
            nonImages += c.skipped().nonImages();
            nested += c.skipped().nestedFolders();
            for (String e : c.skipped().nonImageExamples()) if (examples.size() < EXAMPLES_KEPT) examples.add(e);
        }
        return new Skipped(nonImages, List.copyOf(examples), nested);
    }

    /** The qualified folder this was read from. */
    public String location() {
        return location;
    }

    public ImageShape shape() {
        return shape;
    }

    /** Class folders, images or not. */
    public int classCount() {
        return names.size();
    }

    /** The folder name of class {@code c}. */
    public String name(int c) {
        return names.get(c);
    }

    /** The class of the folder {@code name}, or -1 if there is none of that name. */
    public int indexOf(String name) {
        return index.getOrDefault(name, -1);
    }

    /** Images of class {@code c} (0 for a class folder without images). */
    public int imageCount(int c) {
        return pixels[c].length / shape.inputSize();
    }

    /** Images of all classes. */
    public long totalImages() {
        long n = 0;
        for (int c = 0; c < names.size(); c++) n += imageCount(c);
        return n;
    }

    /** What the reader skipped. */
    public Skipped skipped() {
        return skipped;
    }

    /** Seconds the decoding took. */
    double seconds() {
        return seconds;
    }

    /** A copy of image {@code i} of class {@code c}: {@code shape.inputSize()} bytes 0..255, CHW. */
    public byte[] image(int c, int i) {
        int n = shape.inputSize();
        byte[] out = new byte[n];
        System.arraycopy(pixels[c], i * n, out, 0, n);
        return out;
    }

    /** Writes image {@code i} of class {@code c}, turned {@code quarterTurns} x 90 degrees counterclockwise, as values in [0, 1]. */
    void copyTo(int c, int i, int quarterTurns, double[] dst, int at) {
        int plane = shape.side() * shape.side();
        int base = i * shape.inputSize();
        int[] turn = turns[quarterTurns];
        for (int ch = 0; ch < shape.channels(); ch++, base += plane, at += plane) {
            for (int k = 0; k < plane; k++) dst[at + k] = (pixels[c][base + turn[k]] & 0xFF) / 255.0;
        }
    }

    /** {@link #copyTo(int, int, int, double[], int)} into floats. */
    void copyTo(int c, int i, int quarterTurns, float[] dst, int at) {
        int plane = shape.side() * shape.side();
        int base = i * shape.inputSize();
        int[] turn = turns[quarterTurns];
        for (int ch = 0; ch < shape.channels(); ch++, base += plane, at += plane) {
            for (int k = 0; k < plane; k++) dst[at + k] = (float) ((pixels[c][base + turn[k]] & 0xFF) / 255.0);
        }
    }
}
