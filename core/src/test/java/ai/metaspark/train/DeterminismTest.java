package ai.metaspark.train;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.config.RunConfig;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Same seed, same bits: across two runs and across thread counts. A different seed changes them. */
class DeterminismTest {
    private static double[] train(RunConfig c, int threads) {
        Experiment e = Recipe.of(c).experiment();
        try (LocalTaskRunner runner = new LocalTaskRunner(e, threads)) {
            MetaTrainer t = new MetaTrainer(e, runner, RunLog.NONE, new PrintStream(OutputStream.nullOutputStream()));
            return t.train(t.initialState()).meta();
        }
    }

    private static RunConfig config(String algorithm, long seed) {
        return RunConfig.defaults().with("algorithm=" + algorithm, "meta_steps=40", "meta_batch=7", "seed=" + seed,
                "hidden=16,16", "val_every=0", "checkpoint_every=0", "inner_steps=2", "inner_lr=0.05");
    }

    @Test
    void sameSeedGivesBitIdenticalParametersAcrossRunsAndThreadCounts() {
        for (String algo : new String[]{"maml", "metasgd", "reptile"}) {
            RunConfig c = config(algo, 5);
            double[] one = train(c, 1);
            assertArrayEquals(one, train(c, 1), 0.0, algo + ": second run");
            assertArrayEquals(one, train(c, 2), 0.0, algo + ": 2 threads");
            assertArrayEquals(one, train(c, 3), 0.0, algo + ": 3 threads (uneven slices)");
        }
    }

    @Test
    void differentSeedGivesDifferentParameters() {
        assertFalse(java.util.Arrays.equals(train(config("maml", 5), 1), train(config("maml", 6), 1)));
    }
}
