package ai.metaspark.sweep;

import ai.metaspark.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepSpecTest {
    @TempDir
    Path dir;

    private String base() throws IOException {
        Path recipe = dir.resolve("base.yaml");
        Files.writeString(recipe, "algorithm: maml\ntask: sinusoid\nmeta_steps: 900\n");
        return recipe.toString();
    }

    private SweepSpec spec(String body) throws IOException {
        return SweepSpec.parse("test.yaml", "base: " + base() + "\n" + body);
    }

    private void refused(String body, String... words) {
        ConfigException e = assertThrows(ConfigException.class, () -> spec(body));
        for (String w : words) assertTrue(e.getMessage().contains(w), e.getMessage() + " should name " + w);
    }

    @Test
    void badInputIsRefusedByName() {
        refused("space: {inner_rate: [0.1, 0.2]}\n", "inner_rate", "unknown config key");
        refused("space: {}\n", "search space is empty");
        refused("trials: 4\n", "search space is empty");
        refused("space: {inner_lr: {uniform: [0.5, 0.1]}}\n", "space.inner_lr.uniform", "low 0.5", "high 0.1");
        refused("space: {inner_lr: {log_uniform: [0, 1]}}\n", "log_uniform", "above 0");
        refused("space: {inner_lr: [0.1]}\nscheduler: halving\neta: 1\n", "eta 1");
        refused("space: {inner_lr: [0.1]}\nscheduler: halving\nmin_budget: 2000\nmax_budget: 1000\n", "min_budget 2000", "max_budget 1000");
        refused("space: {inner_lr: [0.1, abc]}\n", "inner_lr", "abc");
        refused("space: {seed: [1, 2]}\n", "seed", "sweep's seed");
        refused("space: {meta_steps: [1, 2]}\n", "meta_steps", "budget");
        refused("space: {inner_steps: {uniform: [1, 5]}}\n", "inner_steps", "int: [lo, hi]");
        refused("space: {inner_lr: {uniform: [0.1, 0.2]}}\nscheduler: grid\n", "space.inner_lr is a range");
        refused("space: {inner_lr: [0.1]}\nscheduler: sometimes\n", "scheduler 'sometimes'");
        refused("space: {inner_lr: [0.1]}\nbudget: 3\n", "unknown key 'budget'");
        refused("space: {inner_lr: [0.1]}\nscheduler: grid\ntrials: 3\n", "'trials' is not for grid");
    }

    @Test
    void aGridRunsEveryCombinationFirstKeySlowest() throws IOException {
        SweepSpec s = spec("space:\n  algorithm: [maml, fomaml]\n  inner_lr: [0.01, 0.1, 1]\nscheduler: grid\n");
        List<Trial> trials = s.trialList();
        assertEquals(6, trials.size());
        assertEquals(Map.of("algorithm", "maml", "inner_lr", "0.01"), trials.get(0).values());
        assertEquals(Map.of("algorithm", "maml", "inner_lr", "1"), trials.get(2).values());
        assertEquals(Map.of("algorithm", "fomaml", "inner_lr", "0.01"), trials.get(3).values());
        assertEquals(List.of(900), s.budgets());
    }

    @Test
    void randomTrialsDeriveFromTheSweepSeedAndTheTrialIdAlone() throws IOException {
        String body = "space:\n  inner_lr: {log_uniform: [0.001, 1.0]}\n  inner_steps: {int: [1, 5]}\n  activation: {choice: [relu, tanh]}\ntrials: 20\nseed: 3\n";
        List<Trial> a = spec(body).trialList();
        assertEquals(a, spec(body).trialList());
        assertEquals(a.subList(0, 5), spec(body.replace("trials: 20", "trials: 5")).trialList()); // a trial does not depend on the count
        assertNotEquals(a, spec(body.replace("seed: 3", "seed: 4")).trialList());
        for (Trial t : a) {
            double lr = Double.parseDouble(t.values().get("inner_lr"));
            int steps = Integer.parseInt(t.values().get("inner_steps"));
            assertTrue(lr >= 0.001 && lr <= 1.0 && steps >= 1 && steps <= 5, t.toString());
        }
        assertEquals(20, a.stream().map(Trial::seed).distinct().count());
        assertTrue(a.stream().map(t -> t.values().get("inner_steps")).distinct().count() > 2);
        assertEquals(String.valueOf(a.get(3).seed()), String.valueOf(spec(body).recipe(a.get(3)).asMap().get("seed")));
    }

    @Test
    void halvingBudgetsAndRungSizesFollowTheEquations() {
        assertEquals(List.of(100, 300, 900), Halving.budgets(100, 900, 3));
        assertEquals(List.of(111, 333, 1000), Halving.budgets(100, 1000, 3)); // R / eta^(s-i), the last rung R itself
        assertEquals(List.of(600), Halving.budgets(500, 600, 3)); // one rung when R / eta < r
        assertEquals(List.of(16, 5, 1), List.of(Halving.size(16, 3, 0), Halving.size(16, 3, 1), Halving.size(16, 3, 2)));
        assertEquals(1, Halving.size(2, 3, 1));
    }

    @Test
    void rankingPutsFailuresLastAndBreaksTiesByTrialId() {
        TrialResult a = new TrialResult(0, 0, 10, TrialResult.DONE, "mse", 0.5, 0.1, 1, null);
        TrialResult b = new TrialResult(1, 0, 10, TrialResult.FAILED, null, Double.NaN, Double.NaN, 1, "diverged");
        TrialResult c = new TrialResult(2, 0, 10, TrialResult.DONE, "mse", 0.2, 0.1, 1, null);
        TrialResult d = new TrialResult(3, 0, 10, TrialResult.DONE, "mse", 0.2, 0.1, 1, null);
        assertEquals(List.of(c, d, a, b), Halving.best(List.of(a, b, c, d), 4, false));
        assertEquals(List.of(a, c, d, b), Halving.best(List.of(d, c, b, a), 4, true));
    }
}
