package ai.metaspark.algo;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.config.RunConfig;
import ai.metaspark.runtime.Allocation;
import ai.metaspark.train.Experiment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Second-order MAML's memory grows with the inner steps only by parameter copies: each extra step may allocate the
 * adapted parameters and the per-step gradient (2 vectors of P doubles) and nothing that scales with the data.
 */
class MamlMemoryTest {
    private static long bytesPerTask(int innerSteps) {
        return Allocation.perTask(Recipe.of(RunConfig.defaults().with("inner_steps=" + innerSteps, "k_shot=50", "k_query=50")).experiment(), 50);
    }

    @Test
    void tenInnerStepsCostOnlyParameterCopiesMoreThanOne() {
        int p = Recipe.of(RunConfig.defaults()).experiment().network().numParams();
        long one = bytesPerTask(1);
        long ten = bytesPerTask(10);
        long perStep = (ten - one) / 9;
        long vector = 8L * p + 16;
        assertTrue(perStep <= 2 * vector + 64, "extra bytes per inner step " + perStep + " > 2 parameter vectors (" + 2 * vector + ")");
        long activations = 8L * 50 * 40 * 2 * 7;   // what storing the forward/backward activations of one step would cost
        assertTrue(perStep < activations, "per-step memory must not scale with the data");
    }
}
