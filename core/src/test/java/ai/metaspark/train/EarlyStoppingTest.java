package ai.metaspark.train;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.config.RunConfig;
import ai.metaspark.task.Split;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Early stopping on meta-validation stops the run and hands back the best validated parameters. */
class EarlyStoppingTest {
    @Test
    void stopsAfterPatienceValidationsWithoutImprovementAndKeepsTheBest() {
        // A far too large outer learning rate: validation loss stops improving quickly.
        RunConfig c = RunConfig.defaults().with("meta_steps=2000", "meta_batch=5", "hidden=16", "val_every=5",
                "val_tasks=20", "patience=3", "outer_lr=0.3", "checkpoint_every=0");
        Experiment e = Recipe.of(c).experiment();
        try (LocalTaskRunner runner = new LocalTaskRunner(e, 1)) {
            MetaTrainer t = new MetaTrainer(e, runner, RunLog.NONE, new PrintStream(OutputStream.nullOutputStream()));
            TrainState end = t.train(t.initialState());
            assertTrue(end.step() < 2000, "stopped early at " + end.step());
            assertEquals(3, end.badValidations());
            double[] kept = MetaTrainer.result(e.schedule(), end);
            assertArrayEquals(end.bestMeta(), kept, 0.0);
            assertEquals(end.bestValidation(), t.evaluate(kept, Split.VALIDATION, 20).mean(), 0.0);
            assertTrue(t.evaluate(end.meta(), Split.VALIDATION, 20).mean() >= end.bestValidation());
        }
    }
}
