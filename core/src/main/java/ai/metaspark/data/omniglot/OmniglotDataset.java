package ai.metaspark.data.omniglot;

import ai.metaspark.data.DataException;
import ai.metaspark.data.JvmCache;
import ai.metaspark.data.Pixels;
import ai.metaspark.data.omniglot.OmniglotZips.Drawing;
import ai.metaspark.io.Files;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import javax.imageio.ImageReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The decoded Omniglot images: 1,623 characters of 20 drawings each, every drawing resized to 28x28 and stored as one
 * byte of ink coverage (0 = white, 255 = fully inked) per pixel, all in one array of about 25 MB. Characters are
 * ordered by their global id (0001-1623, the number in the PNG names); drawings by drawer (01-20).
 * Loaded once per JVM and location through {@link #load(String)}.
 */
public final class OmniglotDataset {
    public static final int DRAWINGS = 20;
    public static final int SIDE = Glyphs.SIDE;
    public static final int PIXELS = Glyphs.PIXELS;
    private static final JvmCache<String, OmniglotDataset> CACHE = new JvmCache<>();

    private final String location;
    private final List<String> names;
    private final Map<String, Integer> index = new HashMap<>();
    private final byte[] pixels;

    private OmniglotDataset(String location, List<String> names, byte[] pixels) {
        this.location = location;
        this.names = List.copyOf(names);
        this.pixels = pixels;
        for (int c = 0; c < names.size(); c++) index.put(names.get(c), c);
    }

    /** The data set in folder {@code location} (any Hadoop path), decoded on the first call in this JVM. */
    public static OmniglotDataset load(String location) {
        return CACHE.get(qualified(location), OmniglotDataset::decode);
    }

    /** {@code location} as a fully qualified path, so that one folder named two ways is one cache entry. */
    static String qualified(String location) {
        if (location == null || location.isBlank()) throw new DataException("no Omniglot folder given (location is empty)");
        return Files.fileSystem(location).makeQualified(new Path(location)).toString();
    }

    private static OmniglotDataset decode(String location) {
        long start = System.nanoTime();
        FileSystem fs = Files.fileSystem(location);
        Map<String, List<Drawing>> byCharacter = group(OmniglotZips.read(fs, new Path(location)));
        List<String> names = new ArrayList<>(byCharacter.keySet());
        names.sort(Comparator.comparingInt(name -> byCharacter.get(name).get(0).id()));
        byte[] pixels = new byte[names.size() * DRAWINGS * PIXELS];
        IntStream.range(0, names.size()).parallel().forEach(c -> decodeCharacter(byCharacter.get(names.get(c)), pixels, c));
        OmniglotDataset data = new OmniglotDataset(location, names, pixels);
        System.err.printf(Locale.ROOT, "omniglot: decoded %,d images of %,d characters from %s in %.1f s (%.1f MB)%n",
                names.size() * DRAWINGS, names.size(), location, (System.nanoTime() - start) / 1e9, pixels.length / 1e6);
        return data;
    }

    /** Drawings by character, each list sorted by drawer and checked to be drawers 1..20 of one character id. */
    private static Map<String, List<Drawing>> group(List<Drawing> drawings) {
        Map<String, List<Drawing>> byCharacter = new TreeMap<>();
        for (Drawing d : drawings) byCharacter.computeIfAbsent(d.character(), k -> new ArrayList<>()).add(d);
        for (Map.Entry<String, List<Drawing>> e : byCharacter.entrySet()) {
            e.getValue().sort(Comparator.comparingInt(Drawing::drawer));
            checkComplete(e.getKey(), e.getValue());
        }
        return byCharacter;
    }

    private static void checkComplete(String character, List<Drawing> drawings) {
        for (int d = 0; d < drawings.size(); d++) {
            Drawing drawing = drawings.get(d);
            if (d >= DRAWINGS || drawing.drawer() != d + 1 || drawing.id() != drawings.get(0).id()) {
                throw new DataException("character " + character + " must have drawings 01.." + DRAWINGS
                        + " of one character id, found " + drawing.where());
            }
        }
        if (drawings.size() != DRAWINGS) {
            throw new DataException("character " + character + " has " + drawings.size() + " drawings, expected "
                    + DRAWINGS + " (" + drawings.get(0).where() + ")");
        }
    }

    private static void decodeCharacter(List<Drawing> drawings, byte[] pixels, int character) {
        ImageReader reader = Glyphs.pngReader();
        try {
            for (int d = 0; d < DRAWINGS; d++) {
                Drawing drawing = drawings.get(d);
                byte[] image = Pixels.quantize(Glyphs.downsample(Glyphs.decodeInk(reader, drawing.png(), drawing.where())));
                System.arraycopy(image, 0, pixels, offset(character, d), PIXELS);
            }
        } finally {
            reader.dispose();
        }
    }

    /** The qualified folder this was loaded from. */
    public String location() {
        return location;
    }

    public int characterCount() {
        return names.size();
    }

    /** The name of character {@code c}: {@code Alphabet/characterNN}. */
    public String name(int c) {
        return names.get(c);
    }

    /** The index of the character {@code Alphabet/characterNN}, or -1 if the data set has none of that name. */
    public int indexOf(String name) {
        return index.getOrDefault(name, -1);
    }

    /** A copy of drawing {@code d} of character {@code c}: 784 bytes of ink 0..255, row-major. */
    public byte[] image(int c, int d) {
        byte[] out = new byte[PIXELS];
        System.arraycopy(pixels, offset(c, d), out, 0, PIXELS);
        return out;
    }

    /**
     * Writes drawing {@code d} of character {@code c}, turned {@code quarterTurns} x 90 degrees counterclockwise, as
     * 784 values in [0, 1] from {@code dst[at]} on.
     */
    void copyTo(int c, int d, int quarterTurns, double[] dst, int at) {
        int base = offset(c, d);
        for (int i = 0; i < PIXELS; i++) dst[at + i] = (pixels[base + Glyphs.turnedSource(quarterTurns, i)] & 0xFF) / 255.0;
    }

    /** {@link #copyTo(int, int, int, double[], int)} into floats. */
    void copyTo(int c, int d, int quarterTurns, float[] dst, int at) {
        int base = offset(c, d);
        for (int i = 0; i < PIXELS; i++) dst[at + i] = (float) ((pixels[base + Glyphs.turnedSource(quarterTurns, i)] & 0xFF) / 255.0);
    }

    /** Bytes held by the decoded images. */
    public long imageBytes() {
        return pixels.length;
    }

    private static int offset(int c, int d) {
        return (c * DRAWINGS + d) * PIXELS;
    }
}
