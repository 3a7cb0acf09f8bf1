package ai.metaspark.data.omniglot;

import ai.metaspark.data.DataException;
import ai.metaspark.task.Split;
import ai.metaspark.task.TaskSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipOutputStream;

import static ai.metaspark.data.omniglot.OmniglotFamilyTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Missing, corrupt and non-Omniglot data, on small synthetic folders (and one truncated copy of a real zip). */
class OmniglotBadInputTest {
    @TempDir
    Path dir;

    @Test
    void missingFolderAndMissingZipAreNamed() throws Exception {
        Path nowhere = dir.resolve("nowhere");
        assertMessage("Omniglot folder not found", nowhere.toString(), () -> OmniglotDataset.load(nowhere.toString()));
        Files.delete(OmniglotTestData.miniFolder(dir, 3).resolve("images_evaluation.zip"));
        assertMessage("missing Omniglot zip", dir.resolve("images_evaluation.zip").toString(), () -> OmniglotDataset.load(dir.toString()));
    }

    @Test
    void truncatedRealZipIsRefused() throws Exception {
        byte[] real = Files.readAllBytes(OmniglotTestData.realFolder().resolve("images_background.zip"));
        OmniglotTestData.write(dir.resolve("images_background.zip"), real, real.length / 2);
        Files.copy(OmniglotTestData.realFolder().resolve("images_evaluation.zip"), dir.resolve("images_evaluation.zip"));
        assertMessage("truncated or not a zip", dir.resolve("images_background.zip").toString(), () -> OmniglotDataset.load(dir.toString()));
    }

    @Test
    void corruptEntryIsRefused() throws Exception {
        Path zip = OmniglotTestData.miniFolder(dir, 3).resolve("images_background.zip");
        byte[] bytes = Files.readAllBytes(zip);
        for (int i = 2000; i < 2100; i++) bytes[i] ^= 0x5A;      // inside the data of an early entry
        Files.write(zip, bytes);
        assertMessage("corrupt", zip.toString(), () -> OmniglotDataset.load(dir.toString()));
    }

    @Test
    void zipCutAtAnEntryBoundaryIsCaughtByTheEntryCount() throws Exception {
        Path zip = OmniglotTestData.miniFolder(dir, 3).resolve("images_background.zip");
        byte[] bytes = Files.readAllBytes(zip);
        byte[] pngEntryHeader = "images_background/Alpha/character02/0002_01.png".getBytes();
        int cut = indexOf(bytes, pngEntryHeader) - 30;              // the local header of that entry starts 30 bytes earlier
        byte[] eocd = java.util.Arrays.copyOfRange(bytes, bytes.length - 22, bytes.length);
        byte[] spliced = new byte[cut + eocd.length];
        System.arraycopy(bytes, 0, spliced, 0, cut);
        System.arraycopy(eocd, 0, spliced, cut, eocd.length);
        Files.write(zip, spliced);
        assertMessage("lists 60 entries but only 20 could be read", zip.toString(), () -> OmniglotDataset.load(dir.toString()));
    }

    @Test
    void aFolderThatIsNotOmniglotIsNamed() throws Exception {
        for (String set : OmniglotZips.SETS) {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve(set + ".zip")))) {
                OmniglotTestData.put(zip, set + "/readme.txt", "hello".getBytes());
            }
        }
        assertMessage("entry images_background/readme.txt is not", "Omniglot", () -> OmniglotDataset.load(dir.toString()));
        Files.writeString(dir.resolve("images_background.zip"), "not a zip");
        assertMessage("no end-of-central-directory", "images_background.zip", () -> OmniglotDataset.load(dir.toString()));
    }

    @Test
    void characterWithMissingDrawingsIsNamed() throws Exception {
        OmniglotTestData.miniFolder(dir, 2);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("images_evaluation.zip")))) {
            OmniglotTestData.put(zip, "images_evaluation/Beta/character01/0003_01.png", OmniglotTestData.png((x, y) -> false));
        }
        assertMessage("character Beta/character01 has 1 drawings, expected 20", "0003_01.png", () -> OmniglotDataset.load(dir.toString()));
    }

    @Test
    void splitProblemsNameTheFileAndLine() throws Exception {
        OmniglotTestData.miniFolder(dir, 3);
        Path splits = dir.resolve("splits/vinyals");
        Files.delete(splits.resolve("val.txt"));
        assertMessage("missing Vinyals split file", splits.resolve("val.txt").toString(), () -> classes(Protocol.VINYALS));
        Files.writeString(splits.resolve("val.txt"), "Alpha/character01/rot000\n\nGamma/character07/rot090\n");
        assertMessage("val.txt line 3 'Gamma/character07/rot090'", "character Gamma/character07 is not in the zips", () -> classes(Protocol.VINYALS));
        Files.writeString(splits.resolve("val.txt"), "Alpha/character01/rot045\n");
        assertMessage("line 1 'Alpha/character01/rot045'", "rot<000|090|180|270>", () -> classes(Protocol.VINYALS));
        Files.writeString(splits.resolve("val.txt"), "Alpha/character01/rot000\nAlpha/character02/rot090\n");
        assertEquals(2, classes(Protocol.VINYALS), "a fixed file is read again: failures are not cached");
        assertMessage("needs all 1623 Omniglot characters", "has 6", () -> classes(Protocol.MAML));
    }

    @Test
    void moreWaysThanClassesIsRefused() throws Exception {
        OmniglotTestData.miniFolder(dir, 3);
        OmniglotFamily family = new OmniglotFamily(dir.toString(), Protocol.VINYALS, 7);
        assertMessage("n_way 7 is more than the 6 classes of split TEST", dir.toString(),
                () -> family.materialize(new TaskSampler(1).spec(Split.TEST, 0, 0), 1, 1));
        assertEquals(6, new OmniglotFamily(dir.toString(), Protocol.VINYALS, 6).materialize(new TaskSampler(1).spec(Split.TEST, 0, 0), 1, 1).support().n());
    }

    @Test
    void concurrentFirstLoadsDecodeOnce() throws Exception {
        OmniglotTestData.miniFolder(dir, 4);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Callable<OmniglotDataset> load = () -> OmniglotDataset.load(dir.toString());
            List<Future<OmniglotDataset>> results = pool.invokeAll(java.util.Collections.nCopies(8, load));
            for (Future<OmniglotDataset> r : results) assertSame(results.get(0).get(), r.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void protocolNamesAreParsed() {
        assertEquals(Protocol.MAML, Protocol.of("maml"));
        assertEquals(Protocol.VINYALS, Protocol.of(" Vinyals "));
        assertMessage("unknown Omniglot protocol 'snell'", "[vinyals, maml]", () -> Protocol.of("snell"));
    }

    private int classes(Protocol protocol) {
        return new OmniglotFamily(dir.toString(), protocol, 2).classCount(Split.VALIDATION);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
