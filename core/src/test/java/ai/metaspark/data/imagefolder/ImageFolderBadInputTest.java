package ai.metaspark.data.imagefolder;

import ai.metaspark.config.ConfigException;
import ai.metaspark.data.DataException;
import ai.metaspark.task.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad image folders are refused on the driver, when the recipe becomes an experiment, with one message naming the bad
 * path or value (data problems: {@link DataException}; bad keys: {@link ConfigException}); files that are not images
 * are skipped and counted instead.
 */
class ImageFolderBadInputTest {
    @TempDir
    Path tmp;

    private DataException refused(Path data, String... overrides) {
        return assertThrows(DataException.class, () -> ImageFolders.recipe(data, overrides).experiment());
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }

    @Test
    void aMissingFolderIsNamed() {
        Path missing = tmp.resolve("no-such-folder");
        assertMentions(refused(missing), "image folder not found", missing.toString());
    }

    @Test
    void aFolderWithoutClassFoldersIsRefused() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("flat"));
        Files.writeString(root.resolve("README.txt"), "images go in sub-folders");
        Files.createDirectories(root.resolve(".git"));
        assertMentions(refused(root), "image folder", root.toString(), "has no class folders");
    }

    @Test
    void classFoldersWithoutImagesAreRefused() throws IOException {
        Path root = tmp.resolve("no-images");
        Files.createDirectories(root.resolve("cat"));
        Files.writeString(Files.createDirectories(root.resolve("dog")).resolve("README.txt"), "no pictures yet");
        assertMentions(refused(root), "none of the 2 class folders", root.toString(), "PNG, JPEG, GIF or BMP",
                "skipped 1 other files such as [dog/README.txt]");
    }

    @Test
    void filesThatAreNotImagesAreSkippedAndCounted() throws IOException {
        Path root = ImageFolders.coded(tmp.resolve("clutter"), 15, 6);
        Files.writeString(root.resolve("c00/README.txt"), "drawn by hand");
        Files.write(root.resolve("c01/.DS_Store"), new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
        Files.writeString(root.resolve("c02/notes.png"), "a text file with an image's name");
        Files.createDirectories(root.resolve("c03/more"));
        ImageFolderDataset data = ImageFolderDataset.load(root.toString(), new ImageShape(ImageFolders.SIDE, 1));
        assertEquals(3, data.skipped().nonImages());
        assertEquals(List.of("c00/README.txt", "c01/.DS_Store", "c02/notes.png"), data.skipped().nonImageExamples());
        assertEquals(1, data.skipped().nestedFolders());
        for (int c = 0; c < 15; c++) assertEquals(6, data.imageCount(c), "class " + c);
        ImageFolderFamily family = (ImageFolderFamily) ImageFolders.recipe(root).experiment().family();
        assertTrue(family.summary().contains("read 90 images of 15 class folders as 16x16x1")
                && family.summary().contains("skipped: files that are not PNG, JPEG, GIF or BMP images: 3 "
                + "[c00/README.txt, c01/.DS_Store, c02/notes.png], folders inside class folders: 1"), family.summary());
    }

    @Test
    void aCorruptImageIsNamed() throws IOException {
        Path root = ImageFolders.coded(tmp.resolve("corrupt"), 15, 6);
        byte[] png = Files.readAllBytes(root.resolve("c04/000.png"));
        Files.write(root.resolve("c04/cut.png"), java.util.Arrays.copyOf(png, 40));
        assertMentions(refused(root), root.resolve("c04/cut.png").toString(), "corrupt or unsupported png image");
    }

    @Test
    void classFoldersEqualButForCaseAreRefusedNamingBoth() {
        Path root = ImageFolders.coded(tmp.resolve("case"), 9, 6);
        ImageFolders.write(root, "Cat", "1.png", ImageFolders.gray(8, 8, (x, y) -> 1), "png");
        ImageFolders.write(root, "cat", "1.png", ImageFolders.gray(8, 8, (x, y) -> 1), "png");
        assertMentions(refused(root), "class folders 'Cat' and 'cat'", "differ only in case", root.toString());
    }

    @Test
    void listFilesMustNameExistingFoldersOnce() throws IOException {
        Path root = ImageFolders.coded(tmp.resolve("lists"), 9, 6);
        Files.writeString(root.resolve("train.txt"), "c00\nc01\nc02\n");
        Files.writeString(root.resolve("val.txt"), "c03\nc04\nc05\n");
        assertMentions(refused(root, "class_split=."), "missing class list", root.resolve("test.txt").toString());
        Files.writeString(root.resolve("test.txt"), "c06\n\ndog\n");
        assertMentions(refused(root, "class_split=."), "test.txt line 3 'dog'", "no class folder of that name");
    }

    @Test
    void aClassListedTwiceIsRefused() throws IOException {
        Path root = ImageFolders.coded(tmp.resolve("twice"), 9, 6);
        Files.writeString(root.resolve("train.txt"), "c00\nc01\nc02\n");
        Files.writeString(root.resolve("val.txt"), "c03\nc04\nc05\n");
        Files.writeString(root.resolve("test.txt"), "c06\nc07\nc01\n");
        assertMentions(refused(root, "class_split=."), "test.txt line 3 'c01'", "class listed twice", "train.txt line 2");
    }

    @Test
    void badKeysAreConfigErrorsNamingTheValue() {
        Path root = ImageFolders.coded(tmp.resolve("keys"), 9, 6);
        for (String[] bad : new String[][] {{"class_split=0.5,0.3,0.3", "class_split"}, {"class_split=0.7,0.3", "0.7,0.3"},
                {"channels=2", "channels"}, {"image_size=2", "image_size"}, {"image_size=12", "image_size 12"},
                {"algorithm=pretrain", "model=mlp", "algorithm pretrain"}, {"model=mlp", "needs a conv4"}}) {
            String[] sets = java.util.Arrays.copyOf(bad, bad.length - 1);
            ConfigException e = assertThrows(ConfigException.class, () -> ImageFolders.recipe(root, sets).experiment(), bad[0]);
            assertMentions(e, bad[bad.length - 1]);
        }
    }
}
