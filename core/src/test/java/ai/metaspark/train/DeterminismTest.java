package ai.metaspark.train;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.config.RunConfig;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Same seed, same bits: across two runs and across thread counts (so across slices: on the ND4J Conv-4 a slice's tasks
 * run side by side, in batches of whatever size the slice has). A different seed changes them.
 */
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
    void conv4TasksSideBySideGiveTheSameBitsWhateverTheSlices() {
        for (String algo : new String[]{"maml", "protonet"}) {
            RunConfig c = RunConfig.defaults().with("task=omniglot", "protocol=vinyals", "n_way=3", "k_shot=1", "k_query=1",
                    "algorithm=" + algo, "model=" + (algo.equals("maml") ? "conv4-strided" : "conv4"), "backend=dl4j",
                    "meta_steps=3", "meta_batch=5", "inner_steps=1", "inner_lr=0.4", "seed=3", "val_every=0",
                    "checkpoint_every=0", "eval_tasks=2", "eval_query=5");
            double[] one = train(c, 1);
            assertArrayEquals(one, train(c, 2), 0.0, algo + ": 2 threads (slices of 3 and 2 tasks side by side)");
            assertArrayEquals(one, train(c, 3), 0.0, algo + ": 3 threads");
        }
    }

    @Test
    void differentSeedGivesDifferentParameters() {
        assertFalse(java.util.Arrays.equals(train(config("maml", 5), 1), train(config("maml", 6), 1)));
    }
}
