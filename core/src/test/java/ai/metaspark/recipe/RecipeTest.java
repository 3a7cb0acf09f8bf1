package ai.metaspark.recipe;

import ai.metaspark.config.ConfigException;
import ai.metaspark.eval.EvalResult;
import ai.metaspark.task.Split;
import ai.metaspark.testfamily.LineFamily;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TrainState;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A recipe becomes a typed experiment, refuses what cannot work by name, and takes task families that plug in. */
class RecipeTest {
    private static final RunLog NO_LOG = new RunLog() {
        @Override
        public void metrics(Map<String, Object> line) {
        }

        @Override
        public void checkpoint(TrainState state) {
        }
    };

    @Test
    void aFamilyOfTheTestTreeTrainsThroughTheUnchangedLoop() {
        Experiment e = Recipe.defaults().with("task=line", "meta_steps=300", "meta_batch=5", "val_every=0",
                "eval_tasks=50", "hidden=16,16", "outer_lr=0.01").experiment();
        assertInstanceOf(LineFamily.class, e.family());
        try (LocalTaskRunner runner = new LocalTaskRunner(e, 1)) {
            MetaTrainer trainer = new MetaTrainer(e, runner, NO_LOG, new PrintStream(OutputStream.nullOutputStream()));
            EvalResult before = trainer.evaluate(e.initialMeta(), Split.TEST, 50);
            TrainState end = trainer.train(trainer.initialState());
            EvalResult after = trainer.evaluate(MetaTrainer.result(e.schedule(), end), Split.TEST, 50);
            assertEquals("mse", after.metric());
            assertTrue(after.mean() < 0.5 * before.mean(), "meta-training on lines: " + before.mean() + " -> " + after.mean());
        }
    }

    @Test
    void anUnknownFamilyIsRefusedWithTheRegisteredNames() {
        ConfigException e = assertThrows(ConfigException.class, () -> Recipe.defaults().with("task=circles").experiment());
        assertTrue(e.getMessage().contains("circles") && e.getMessage().contains("omniglot")
                && e.getMessage().contains("image-folder") && e.getMessage().contains("sinusoid")
                && e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void networksMustFitTheirFamily() {
        ConfigException e = assertThrows(ConfigException.class, () -> Recipe.defaults().with("model=conv4").experiment());
        assertTrue(e.getMessage().contains("conv4") && e.getMessage().contains("sinusoid"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Recipe.defaults().with("algorithm=anil").experiment());
        assertTrue(e.getMessage().contains("anil"), e.getMessage());
    }

    @Test
    void theMamlPlusPlusOptionsAreRefusedWhereTheyCannotApply() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Recipe.defaults().with("algorithm=reptile", "lslr=true").experiment());
        assertTrue(e.getMessage().contains("lslr") && e.getMessage().contains("reptile"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Recipe.defaults().with("per_step_bn=true").experiment());
        assertTrue(e.getMessage().contains("per_step_bn") && e.getMessage().contains("mlp"), e.getMessage());
    }

    @Test
    void onlyPrototypicalNetworksTrainWithAnotherNumberOfClasses() {
        ConfigException e = assertThrows(ConfigException.class, () -> Recipe.defaults()
                .with("task=omniglot", "model=conv4-strided", "train_n_way=60", "k_shot=1", "k_query=1").experiment());
        assertTrue(e.getMessage().contains("train_n_way 60") && e.getMessage().contains("maml"), e.getMessage());
        assertEquals(60, ((ai.metaspark.data.omniglot.OmniglotFamily) Recipe.defaults().with("task=omniglot",
                "algorithm=protonet", "train_n_way=60", "k_shot=1", "k_query=1", "eval_query=1").experiment().family())
                .ways(Split.TRAIN));
    }

    @Test
    void theEvaluationPlanFollowsTheAlgorithm() {
        Experiment maml = Recipe.defaults().with("inner_steps=3", "eval_steps=2").experiment();
        assertEquals(3, maml.evaluation().evalInnerSteps());
        assertEquals(3, maml.evaluation().evalSteps());
        Experiment later = Recipe.defaults().with("eval_inner_steps=5", "eval_steps=10").experiment();
        assertEquals(5, later.evaluation().evalInnerSteps());
        assertEquals(10, later.evaluation().evalSteps());
    }
}
