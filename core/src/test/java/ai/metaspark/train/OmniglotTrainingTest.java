package ai.metaspark.train;

import ai.metaspark.data.DataLocation;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.config.RunConfig;
import ai.metaspark.eval.EvalResult;
import ai.metaspark.task.Split;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short meta-training runs on the real Omniglot data (5-way 1-shot, Vinyals split, in-process, 2 threads): Prototypical
 * Networks reach 80% test accuracy and second-order MAML on Conv-4 clearly beats the 20% of chance. Skipped when the
 * data is not at {@code ../shared/data/omniglot} beside the project root.
 */
class OmniglotTrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** Skips the test when the data is not there. */
    private static void assumeData() {
        Path data = Path.of(DataLocation.resolve(RunConfig.defaults().get(ai.metaspark.config.Keys.DATA)));
        ai.metaspark.data.omniglot.OmniglotTestData.requirePresent(data);
    }

    private static RunConfig config(String... overrides) {
        assumeData();
        return RunConfig.defaults().with("task=omniglot", "n_way=5", "k_shot=1", "k_query=15", "eval_query=15",
                "val_every=0", "checkpoint_every=0", "seed=7").with(overrides);
    }

    private static EvalResult trainAndTest(RunConfig c, int testTasks, RunLog log) {
        Experiment e = Recipe.of(c).experiment();
        try (LocalTaskRunner runner = new LocalTaskRunner(e, 2)) {
            MetaTrainer t = new MetaTrainer(e, runner, log, QUIET);
            TrainState end = t.train(t.initialState());
            return t.evaluate(MetaTrainer.result(e.schedule(), end), Split.TEST, testTasks);
        }
    }

    @Test
    void protoNetsReach80PercentIn300Steps() {
        long t0 = System.nanoTime();
        EvalResult r = trainAndTest(config("algorithm=protonet", "meta_steps=300", "meta_batch=1"), 200, RunLog.NONE);
        System.out.printf("protonet 5w1s, 300 steps: %s (%.1f s)%n", r.summary(), (System.nanoTime() - t0) / 1e9);
        assertEquals("accuracy", r.metric());
        assertEquals(1, r.perStep().length, "prototypes are the whole adaptation");
        assertTrue(r.mean() >= 0.80, r.summary());
    }

    @Test
    void secondOrderMamlClearlyBeatsChance() {
        long t0 = System.nanoTime();
        EvalResult r = trainAndTest(config("algorithm=maml", "inner_lr=0.4", "inner_steps=1", "meta_batch=4",
                "meta_steps=200", "eval_inner_steps=3", "eval_steps=3"), 100, RunLog.NONE);
        System.out.printf("maml 5w1s, 200 steps x 4 tasks: %s (%.1f s)%n", r.summary(), (System.nanoTime() - t0) / 1e9);
        assertEquals(4, r.perStep().length);
        assertTrue(r.perStep()[0] < 0.3, "labels are shuffled per task: chance before adapting, " + r.perStep()[0]);
        assertTrue(r.mean() >= 0.40, r.summary());
    }

    @Test
    void mamlPlusPlusRecipeLearnsItsPerStepRatesAndBatchNorm() throws java.io.IOException {
        assumeData();
        Path recipe = DataLocation.projectRoot().resolve("conf/omniglot-5w1s-mamlpp.yaml");
        RunConfig c;
        try (var in = Files.newInputStream(recipe)) {
            c = RunConfig.fromYaml(in, recipe.toString(), List.of("meta_steps=3", "meta_batch=2", "val_every=0",
                    "checkpoint_every=0", "first_order_steps=2"));
        }
        Experiment e = Recipe.of(c).experiment();
        int p = e.network().numParams();
        try (LocalTaskRunner runner = new LocalTaskRunner(e, 2)) {
            MetaTrainer t = new MetaTrainer(e, runner, RunLog.NONE, QUIET);
            TrainState start = t.initialState();
            assertEquals(p + 5 * 512 + 5 * 14, start.meta().length, "theta, 5 batch-norm copies, 5 x 14 rates");
            TrainState end = t.train(start);
            double[] m = end.meta();
            int rates = p + 5 * 512;
            for (int i = rates; i < m.length; i++) { // groups: 4 x (conv, gamma, beta), head W, head b
                int g = (i - rates) % 14;
                if (g < 12 && g % 3 != 0) {
                    assertEquals(0.1, m[i], 0.0, "batch norm is not adapted inside: its rate " + g + " stays");
                } else {
                    assertTrue(m[i] != 0.1, "rate of group " + g + " at step " + (i - rates) / 14 + " was learned: " + m[i]);
                }
            }
            assertTrue(m[p] != start.meta()[p], "step 1's batch-norm copy was learned");
            EvalResult r = t.evaluate(MetaTrainer.result(e.schedule(), end), Split.TEST, 4);
            assertEquals(6, r.perStep().length, "accuracy after 0..5 inner steps");
        }
    }

    @Test
    void validationLogsAccuracyAndEarlyStoppingKeepsTheHighest() {
        List<Map<String, Object>> lines = new ArrayList<>();
        RunLog log = collecting(lines);
        RunConfig c = config("algorithm=protonet", "meta_steps=30", "meta_batch=1", "val_every=10", "val_tasks=10", "log_every=10");
        Experiment e = Recipe.of(c).experiment();
        try (LocalTaskRunner runner = new LocalTaskRunner(e, 2)) {
            MetaTrainer t = new MetaTrainer(e, runner, log, QUIET);
            TrainState end = t.train(t.initialState());
            double best = lines.stream().filter(l -> l.containsKey("val_acc"))
                    .mapToDouble(l -> (Double) l.get("val_acc")).max().orElseThrow();
            assertEquals(-best, end.bestValidation(), 0.0, "the score kept is minus the highest accuracy");
            assertEquals(best, t.evaluate(MetaTrainer.result(e.schedule(), end), Split.VALIDATION, 10).mean(), 0.0);
            assertTrue(lines.stream().anyMatch(l -> l.containsKey("acc_pre") && l.containsKey("acc_post")), lines.toString());
            assertTrue(lines.stream().noneMatch(l -> l.containsKey("val_loss")));
        }
    }

    @Test
    void everyAlgorithmTrainsConv4AndReportsAccuracy() {
        for (String algo : List.of("maml", "fomaml", "reptile", "metasgd", "anil")) {
            List<Map<String, Object>> lines = new ArrayList<>();
            RunLog log = collecting(lines);
            RunConfig c = config("algorithm=" + algo, "model=conv4-strided", "meta_steps=3", "meta_batch=2", "log_every=1",
                    "inner_lr=0.1", "inner_steps=2", "eval_inner_steps=2", "eval_steps=3");
            EvalResult r = trainAndTest(c, 4, log);
            assertEquals("accuracy", r.metric(), algo);
            assertEquals(4, r.perStep().length, algo);
            for (double a : r.perStep()) assertTrue(a >= 0 && a <= 1, algo + ": " + r.summary());
            for (Map<String, Object> l : lines) {
                double pre = (Double) l.get("acc_pre");
                double post = (Double) l.get("acc_post");
                assertTrue(pre >= 0 && pre <= 1 && post >= 0 && post <= 1, algo + ": " + l);
            }
            assertTrue(lines.stream().anyMatch(l -> (Double) l.get("acc_post") > 0), algo + ": " + lines);
        }
    }

    /** A log that keeps the metrics lines in {@code lines} and drops checkpoints. */
    private static RunLog collecting(List<Map<String, Object>> lines) {
        return new RunLog() {
            @Override
            public void metrics(Map<String, Object> line) {
                lines.add(line);
            }

            @Override
            public void checkpoint(TrainState state) {
            }
        };
    }
}
