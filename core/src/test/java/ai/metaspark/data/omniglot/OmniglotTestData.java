package ai.metaspark.data.omniglot;

import org.junit.jupiter.api.Assumptions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Where the real Omniglot data lies, and small synthetic Omniglot folders for tests of bad input. */
public final class OmniglotTestData {
    private OmniglotTestData() {
    }

    /** {@code ../shared/data/omniglot} beside the project root (the folder holding {@code core/} and {@code pom.xml}). */
    static Path realFolder() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("core")) && Files.exists(dir.resolve("pom.xml")))) dir = dir.getParent();
        Path data = (dir == null ? Path.of("..") : dir.getParent()).resolve("shared/data/omniglot").normalize();
        requirePresent(data);
        return data;
    }

    /**
     * Skips the calling test when Omniglot is not at {@code data}, except under {@code CI=true}, where CI has the data
     * by contract and a missing folder must fail the run instead of silently skipping its tests.
     */
    public static void requirePresent(Path data) {
        requirePresent(data, System.getenv("CI"));
    }

    /** {@link #requirePresent(Path)} with the value of {@code CI} given. */
    static void requirePresent(Path data, String ci) {
        boolean present = Files.exists(data.resolve("images_background.zip"));
        String message = "Omniglot data not found at " + data + " (see README, Data)";
        if (!present && "true".equalsIgnoreCase(ci)) throw new AssertionError(message + "; CI=true requires it");
        Assumptions.assumeTrue(present, message + "; real-data tests skipped");
    }

    /** A 105x105 one-bit PNG, white, with ink (black) where {@code inked} says. */
    static byte[] png(java.util.function.BiPredicate<Integer, Integer> inked) throws IOException {
        BufferedImage image = new BufferedImage(105, 105, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < 105; y++) {
            for (int x = 0; x < 105; x++) image.getRaster().setSample(x, y, 0, inked.test(x, y) ? 0 : 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * A small Omniglot-shaped folder: {@code characters} characters per zip in alphabet {@code Alpha} (background) and
     * {@code Beta} (evaluation), 20 drawings each, and Vinyals split files listing every character at rotation 000.
     */
    static Path miniFolder(Path dir, int characters) throws IOException {
        byte[] png = png((x, y) -> x > 40 && x < 60);
        int id = 1;
        for (String[] set : List.of(new String[] {"images_background", "Alpha"}, new String[] {"images_evaluation", "Beta"})) {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve(set[0] + ".zip")))) {
                for (int c = 1; c <= characters; c++, id++) {
                    for (int d = 1; d <= 20; d++) {
                        put(zip, String.format("%s/%s/character%02d/%04d_%02d.png", set[0], set[1], c, id, d), png);
                    }
                }
            }
        }
        Path splits = Files.createDirectories(dir.resolve("splits/vinyals"));
        StringBuilder lines = new StringBuilder();
        for (int c = 1; c <= characters; c++) lines.append(String.format("Alpha/character%02d/rot000%nBeta/character%02d/rot000%n", c, c));
        for (String f : List.of("train.txt", "val.txt", "test.txt")) Files.writeString(splits.resolve(f), lines);
        return dir;
    }

    static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    static void write(Path file, byte[] bytes, int length) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes, 0, length);
        }
    }
}
