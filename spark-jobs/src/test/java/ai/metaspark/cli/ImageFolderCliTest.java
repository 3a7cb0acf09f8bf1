package ai.metaspark.cli;

import ai.metaspark.data.DataLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code make-example-data image-folder} writes a folder that {@code conf/image-folder-example.yaml} trains on, through
 * Spark and with the transfer baseline; bad image folders and bad keys end the run before anything is written (exit
 * codes 3 and 2).
 */
class ImageFolderCliTest {
    @TempDir
    static Path tmp;
    static Path images;

    @BeforeAll
    static void makeExampleData() {
        images = tmp.resolve("img");
        CliTest.Result r = CliTest.cli("make-example-data", "image-folder", "--out", images.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("60 classes x 20 images"), r.out());
    }

    private static CliTest.Result train(Path out, String... sets) {
        String[] args = new String[5 + 2 * sets.length];
        args[0] = "train";
        args[1] = "--config";
        args[2] = DataLocation.projectRoot().resolve("conf/image-folder-example.yaml").toString();
        args[3] = "--out";
        args[4] = out.toString();
        for (int i = 0; i < sets.length; i++) {
            args[5 + 2 * i] = "--set";
            args[6 + 2 * i] = sets[i];
        }
        return CliTest.cli(args);
    }

    @Test
    void theExampleFolderHasClassFoldersAndLists() throws IOException {
        try (Stream<Path> entries = Files.list(images)) {
            assertEquals(60, entries.filter(Files::isDirectory).count());
        }
        assertEquals(40, Files.readAllLines(images.resolve("train.txt")).size());
        assertEquals(10, Files.readAllLines(images.resolve("val.txt")).size());
        assertEquals(10, Files.readAllLines(images.resolve("test.txt")).size());
    }

    @Test
    void theExampleRecipeTrainsOnIt() throws IOException {
        Path run = tmp.resolve("run");
        CliTest.Result r = train(run, "data=" + images, "meta_steps=20", "val_every=10", "eval_tasks=10");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        JsonNode eval = new ObjectMapper().readTree(run.resolve("eval.json").toFile());
        assertEquals("accuracy", eval.get("metric").asText());
        assertTrue(eval.get("mean").asDouble() > 0.2, eval.toString());
    }

    @Test
    void theTransferBaselineTrainsOnIt() {
        CliTest.Result r = CliTest.cli("train", "--config", DataLocation.projectRoot().resolve("conf/image-folder-example.yaml").toString(), "--out", tmp.resolve("transfer").toString(),
                "--in-process", "--set", "data=" + images, "--set", "algorithm=transfer", "--set", "transfer_epochs=1",
                "--set", "eval_tasks=5", "--set", "eval_steps=5");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("classifier: 160 classes, 3200 images"), r.out());
    }

    @Test
    void anExistingFolderOrAnUnknownKindIsRefused() {
        CliTest.Result again = CliTest.cli("make-example-data", "image-folder", "--out", images.toString());
        assertEquals(ExitCodes.BAD_CONFIG, again.code());
        assertTrue(again.err().contains(images.toString()) && again.err().contains("not an empty folder"), again.err());
        CliTest.Result table = CliTest.cli("make-example-data", "tables", "--out", tmp.resolve("t").toString());
        assertEquals(ExitCodes.BAD_CONFIG, table.code());
        assertTrue(table.err().contains("'tables' is not one of [image-folder, table]"), table.err());
        assertFalse(Files.exists(tmp.resolve("t")));
    }

    @Test
    void badDataIsExitCode3AndBadKeysExitCode2WithNothingWritten() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path out = tmp.resolve("never");
        CliTest.Result data = train(out, "data=" + empty);
        assertEquals(ExitCodes.DATA_MISSING, data.code(), data.err());
        assertTrue(data.err().contains(empty.toString()) && data.err().contains("no class folders"), data.err());
        CliTest.Result key = train(out, "data=" + images, "class_split=0.5,0.5,0.5");
        assertEquals(ExitCodes.BAD_CONFIG, key.code(), key.err());
        assertTrue(key.err().contains("class_split") && key.err().contains("0.5,0.5,0.5"), key.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
