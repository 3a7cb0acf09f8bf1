package ai.metaspark.data.imagefolder;

import ai.metaspark.eval.EvalResult;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.MlpModel;
import ai.metaspark.task.Split;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TrainState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Meta-training on a tiny folder of colour images (20x20 RGB into Conv-4; a class is a stripe pattern, the colours are
 * drawn per image): a 3-channel Conv-4 learns with Prototypical Networks and with second-order MAML, and every
 * algorithm runs on Conv-4 and, where it can, on an MLP over the flattened pixels.
 */
class ImageFolderTrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    private static Path stripes;

    @BeforeAll
    static void write() {
        stripes = tmp.resolve("stripes");
        for (int c = 0; c < 16; c++) {
            SplittableRandom colours = new SplittableRandom(c);
            int[] ink = {colours.nextInt(256), colours.nextInt(256), colours.nextInt(256)};
            int[] paper = {colours.nextInt(256), colours.nextInt(256), colours.nextInt(256)};
            int period = 3 + c % 4;
            int direction = c / 4;
            for (int i = 0; i < 10; i++) {
                SplittableRandom rng = new SplittableRandom(c * 100L + i);
                int shift = rng.nextInt(period);
                ImageFolders.write(stripes, "s" + c, i + ".png", ImageFolders.rgb(24, 24, (x, y) ->
                        noisy(stripe(x, y, direction, period, shift) ? ink : paper, rng)), "png");
            }
        }
    }

    /** The colour with noise of standard deviation 320 levels per channel. */
    private static int noisy(int[] rgb, SplittableRandom rng) {
        int out = 0;
        for (int v : rgb) out = out << 8 | (int) Math.max(0, Math.min(255, Math.round(v + 320 * rng.nextGaussian())));
        return out;
    }

    /** Stripes of {@code period} pixels along one of four directions. */
    private static boolean stripe(int x, int y, int direction, int period, int shift) {
        int along = switch (direction) {
            case 0 -> x;
            case 1 -> y;
            case 2 -> x + y;
            default -> x - y + 24;
        };
        return (along + shift) % period < period / 2 + 1;
    }

    private static Experiment experiment(String... overrides) {
        return ImageFolders.recipe(stripes, "channels=3", "image_size=20", "class_split=0.5,0.25,0.25", "n_way=3",
                "k_shot=1", "k_query=4", "eval_query=4", "seed=3").with(overrides).experiment();
    }

    /** Meta-test accuracy on 40 test tasks before and after training. */
    private static double[] trainedAccuracy(Experiment e) {
        try (LocalTaskRunner runner = new LocalTaskRunner(e, 2)) {
            MetaTrainer t = new MetaTrainer(e, runner, RunLog.NONE, QUIET);
            EvalResult before = t.evaluate(e.initialMeta(), Split.TEST, 40);
            TrainState end = t.train(t.initialState());
            EvalResult after = t.evaluate(MetaTrainer.result(e.schedule(), end), Split.TEST, 40);
            return new double[] {before.mean(), after.mean()};
        }
    }

    @Test
    void aThreeChannelConv4LearnsWithPrototypicalNetworksAndMaml() {
        Experiment proto = experiment("algorithm=protonet", "meta_steps=60", "meta_batch=2", "outer_lr=0.003");
        Conv4Model conv = assertInstanceOf(Conv4Model.class, proto.network(), "model: auto is conv4");
        assertEquals(3, conv.conv().channels());
        assertEquals(20, conv.conv().imageSize());
        double[] p = trainedAccuracy(proto);
        double[] m = trainedAccuracy(experiment("algorithm=maml", "meta_steps=30", "meta_batch=2", "inner_lr=0.1",
                "inner_steps=2", "eval_inner_steps=2", "outer_lr=0.003"));
        System.out.printf("3-channel Conv-4, 3-way 1-shot test accuracy: protonet %.3f -> %.3f, maml %.3f -> %.3f%n",
                p[0], p[1], m[0], m[1]);
        assertTrue(p[1] > p[0] + 0.05, "protonet: " + p[0] + " -> " + p[1]);
        assertTrue(m[1] > m[0] + 0.05, "maml: " + m[0] + " -> " + m[1]);
    }

    @Test
    void everyAlgorithmRunsOnConv4AndAnMlp() {
        for (String model : List.of("conv4", "conv4-strided", "mlp")) {
            List<String> algorithms = model.equals("mlp") ? List.of("maml", "fomaml", "reptile", "metasgd")
                    : List.of("maml", "fomaml", "reptile", "metasgd", "anil", "protonet");
            for (String algo : algorithms) {
                Experiment e = experiment("model=" + model, "algorithm=" + algo, "meta_steps=2", "hidden=32",
                        "inner_steps=1", "eval_steps=1");
                if (model.equals("mlp")) assertTrue(assertInstanceOf(MlpModel.class, e.network()).classifier(), algo);
                double[] acc = trainedAccuracy(e);
                assertTrue(acc[1] >= 0 && acc[1] <= 1, model + " " + algo + ": " + acc[1]);
                assertEquals("accuracy", e.metric());
            }
        }
    }
}
