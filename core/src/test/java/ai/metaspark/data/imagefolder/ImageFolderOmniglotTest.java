package ai.metaspark.data.imagefolder;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.data.DataLocation;
import ai.metaspark.data.omniglot.OmniglotTestData;
import ai.metaspark.eval.EvalResult;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSampler;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TrainState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance: Omniglot's characters as an image folder train as well as through the Omniglot reader. The Vinyals
 * test characters (all 423) and every 7th training character become class folders of their original PNGs, with list
 * files naming the same characters and {@code rotate_classes: true} standing for the split files' four rotations; an
 * Omniglot folder with split files cut to the same characters is the reference. Both families then give the same
 * tasks (the folder's pixels are intensities, 1 - Omniglot's ink). Prototypical Networks, 5-way 1-shot, trained the
 * same briefly through both, reach the same meta-test accuracy within the 95% confidence interval of the difference
 * (seeds 7 to 10 gave differences of -0.7, -1.3, +0.5 and +1.0 points, each within it). Skipped when the Omniglot
 * data is not at {@code ../shared/data/omniglot}.
 */
class ImageFolderOmniglotTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final Pattern LINE = Pattern.compile("(.+/character\\d+)/rot\\d{3}");
    private static final Pattern ENTRY = Pattern.compile("[^/]+/([^/]+/character\\d+)/([^/]+\\.png)");
    private static final int TEST_TASKS = 400;
    private static final String[] FILES = {"train.txt", "val.txt", "test.txt"};
    @TempDir
    Path tmp;

    @Test
    void prototypicalNetworksReachTheSameAccuracyThroughBothFamilies() throws IOException {
        Path omniglot = Path.of(DataLocation.resolve(RunConfig.defaults().get(Keys.DATA)));
        OmniglotTestData.requirePresent(omniglot);
        long t0 = System.nanoTime();
        List<List<String>> lines = splitLines(omniglot);
        Path reference = referenceFolder(omniglot, lines);
        Path images = imageFolder(omniglot, lines);
        String[] common = {"algorithm=protonet", "n_way=5", "k_shot=1", "k_query=15", "eval_query=15", "meta_batch=1",
                "meta_steps=300", "val_every=0", "checkpoint_every=0", "seed=7"};
        Recipe viaOmniglot = Recipe.defaults().with("task=omniglot", "data=" + reference).with(common);
        Recipe viaFolder = Recipe.defaults().with("task=image-folder", "data=" + images, "channels=1", "image_size=28",
                "class_split=.", "rotate_classes=true").with(common);
        assertSameTasks(viaOmniglot.experiment(), viaFolder.experiment());
        EvalResult omniglotResult = trainAndTest(viaOmniglot);
        EvalResult folderResult = trainAndTest(viaFolder);
        double difference = Math.abs(omniglotResult.mean() - folderResult.mean());
        double ci = Math.hypot(omniglotResult.ci95(), folderResult.ci95());
        System.out.printf("same classes, protonet 5w1s 300 steps: omniglot %s; image-folder %s; |difference| %.4f, "
                + "95%% CI of the difference %.4f (%.0f s)%n", omniglotResult.summary(), folderResult.summary(), difference,
                ci, (System.nanoTime() - t0) / 1e9);
        assertTrue(omniglotResult.mean() > 0.7 && folderResult.mean() > 0.7,
                "both learned: " + omniglotResult.mean() + ", " + folderResult.mean());
        assertTrue(difference <= ci, "omniglot " + omniglotResult.summary() + " vs image-folder " + folderResult.summary());
    }

    /**
     * The image folder lists the characters in the split files' order and turns each like their four lines, and
     * draws its episodes as Omniglot does: a spec gives the same task, each pixel the intensity 1 - ink.
     */
    private static void assertSameTasks(Experiment omniglot, Experiment folder) {
        for (Split split : List.of(Split.TRAIN, Split.TEST)) {
            TaskSpec spec = new TaskSampler(3).spec(split, 2, 5);
            Task a = split == Split.TRAIN ? omniglot.trainTask(spec) : omniglot.heldOutTask(spec);
            Task b = split == Split.TRAIN ? folder.trainTask(spec) : folder.heldOutTask(spec);
            assertArrayEquals(a.query().y(), b.query().y());
            for (int i = 0; i < a.query().x().length; i++) assertEquals(1 - a.query().x()[i], b.query().x()[i], 1e-9);
        }
    }

    private static EvalResult trainAndTest(Recipe recipe) {
        Experiment e = recipe.experiment();
        try (LocalTaskRunner runner = new LocalTaskRunner(e, 2)) {
            MetaTrainer t = new MetaTrainer(e, runner, RunLog.NONE, QUIET);
            TrainState end = t.train(t.initialState());
            return t.evaluate(MetaTrainer.result(e.schedule(), end), Split.TEST, TEST_TASKS);
        }
    }

    /** The Vinyals lines kept: every 7th training character (all four turns), the first 10 validation ones, every test one. */
    private static List<List<String>> splitLines(Path omniglot) throws IOException {
        Path splits = omniglot.resolve("splits/vinyals");
        int[] every = {7, 0, 1};
        List<List<String>> kept = new ArrayList<>();
        for (int s = 0; s < FILES.length; s++) {
            List<String> characters = new ArrayList<>(characters(Files.readAllLines(splits.resolve(FILES[s]))));
            List<String> chosen = new ArrayList<>();
            for (int i = 0; i < characters.size(); i++) {
                if (every[s] == 0 ? i < 10 : i % every[s] == 0) chosen.add(characters.get(i));
            }
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(splits.resolve(FILES[s]))) {
                Matcher m = LINE.matcher(line.strip());
                if (m.matches() && chosen.contains(m.group(1))) lines.add(line.strip());
            }
            assertEquals(4 * chosen.size(), lines.size(), FILES[s] + ": every character in its four turns");
            kept.add(lines);
        }
        return kept;
    }

    private static Set<String> characters(List<String> lines) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) out.add(m.group(1));
        }
        return out;
    }

    /** An Omniglot folder: links to the two zips, and split files of the kept lines. */
    private Path referenceFolder(Path omniglot, List<List<String>> lines) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("omniglot"));
        for (String zip : List.of("images_background.zip", "images_evaluation.zip")) {
            Files.createSymbolicLink(folder.resolve(zip), omniglot.resolve(zip).toAbsolutePath());
        }
        Path splits = Files.createDirectories(folder.resolve("splits/vinyals"));
        for (int s = 0; s < FILES.length; s++) Files.write(splits.resolve(FILES[s]), lines.get(s));
        return folder;
    }

    /** Class folders {@code Alphabet_characterNN} of the kept characters' PNGs, and list files naming them. */
    private Path imageFolder(Path omniglot, List<List<String>> lines) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("images"));
        Map<String, String> folderOf = new TreeMap<>();
        for (List<String> split : lines) for (String c : characters(split)) folderOf.put(c, c.replace('/', '_'));
        for (String zip : List.of("images_background.zip", "images_evaluation.zip")) {
            try (InputStream raw = Files.newInputStream(omniglot.resolve(zip)); ZipInputStream in = new ZipInputStream(raw)) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    Matcher m = ENTRY.matcher(e.getName());
                    if (!m.matches() || !folderOf.containsKey(m.group(1))) continue;
                    Path dir = Files.createDirectories(folder.resolve(folderOf.get(m.group(1))));
                    Files.write(dir.resolve(m.group(2)), in.readAllBytes());
                }
            }
        }
        for (int s = 0; s < FILES.length; s++) {
            Files.write(folder.resolve(FILES[s]), characters(lines.get(s)).stream().map(folderOf::get).toList());
        }
        return folder;
    }
}
