package ai.metaspark.data.imagefolder;

import ai.metaspark.config.ConfigException;
import ai.metaspark.task.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The procedural example image folder: its layout, the same bytes every time, and a family that reads it whole. */
class ExampleImageFolderTest {
    @TempDir
    Path tmp;

    @Test
    void glyphsMakeAFolderOfSixtyClassesThatTheFamilyReadsWhole() throws IOException {
        Path out = tmp.resolve("glyphs");
        ExampleImageFolder.Written w = ExampleImageFolder.write(out.toString(), Optional.empty());
        assertEquals(60, w.classes());
        assertTrue(w.source().contains("procedural"), w.source());
        ExampleImageFolder.write(tmp.resolve("again").toString(), Optional.empty());
        assertArrayEquals(Files.readAllBytes(out.resolve("glyph07/13.png")),
                Files.readAllBytes(tmp.resolve("again/glyph07/13.png")), "the same call writes the same files");
        ImageFolderFamily family = (ImageFolderFamily) ImageFolders.recipe(out, "class_split=.", "image_size=28",
                "k_shot=1", "k_query=15", "eval_query=15", "n_way=5").experiment().family();
        assertEquals(40, family.classCount(Split.TRAIN));
        assertEquals(10, family.classCount(Split.VALIDATION));
        assertEquals(10, family.classCount(Split.TEST));
        assertTrue(family.summary().contains("read 1,200 images of 60 class folders") && family.summary().endsWith("skipped: nothing"),
                family.summary());
        Set<String> lines = new HashSet<>();
        for (String f : new String[] {"train.txt", "val.txt", "test.txt"}) lines.addAll(Files.readAllLines(out.resolve(f)));
        assertEquals(60, lines.size(), "every class in one list");
    }

    @Test
    void aFolderThatHoldsAnythingIsRefused() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        ConfigException e = assertThrows(ConfigException.class, () -> ExampleImageFolder.write(out.toString(), Optional.empty()));
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("not an empty folder"), e.getMessage());
    }
}
