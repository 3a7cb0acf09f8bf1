package ai.metaspark.algo;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.data.DataLocation;
import ai.metaspark.data.omniglot.OmniglotTestData;
import ai.metaspark.model.Conv4Model;
import ai.metaspark.model.Dl4jModels;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.Experiment;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transfer baseline's meta-test: new heads on a frozen body, on the very tasks the meta-learners meet. */
class TransferHeadTest {
    private static RunConfig transfer(String... more) {
        OmniglotTestData.requirePresent(Path.of(DataLocation.resolve(RunConfig.defaults().get(Keys.DATA))));
        return RunConfig.defaults().with("task=omniglot", "protocol=maml", "n_way=5", "k_shot=1", "k_query=1",
                "eval_query=1", "model=conv4-strided", "algorithm=transfer", "inner_lr=0.5").with(more);
    }

    /** A sanity check of the fine-tuning: each head, fitted on a support set, classifies that support set perfectly. */
    @Test
    void aHeadFittedOnASupportSetClassifiesItPerfectly() {
        Experiment e = Recipe.of(transfer()).experiment();
        TransferHead any = (TransferHead) e.algorithm();
        int classes = e.family().trainingExamples().orElseThrow().classes();
        assertEquals(4400, classes, "1,100 training characters, four turns each");
        double[] meta = Dl4jModels.conv4Classifier(((Conv4Model) e.network()).conv(), classes, 3, new Sgd(0))
                .params().toDoubleVector();
        assertEquals(meta.length, any.network(meta).numParams());
        for (String kind : List.of("linear", "cosine", "finetune")) {
            TransferHead head = (TransferHead) Recipe.of(kind.equals("finetune") ? transfer("transfer_finetune=true", "inner_lr=0.1")
                    : transfer("transfer_head=" + kind)).experiment().algorithm();
            for (TaskSpec spec : e.sampler().heldOut(Split.TEST, 3)) {
                Task t = e.heldOutTask(spec);
                TaskEvaluation onSupport = head.evaluate(null, meta, 0, new Task(spec, t.support(), t.support()), 50, 50, true);
                assertEquals(1.0, onSupport.perStep()[50], kind + " head on its own support set, task " + spec.index());
                if (!kind.equals("cosine")) assertEquals(0.2, onSupport.perStep()[0], 1e-12, "zero weights: chance");
            }
        }
    }

    @Test
    void theMetaTestUsesTheTasksOfTheMetaLearners() {
        Experiment t = Recipe.of(transfer()).experiment();
        Experiment maml = Recipe.of(transfer("algorithm=maml", "inner_lr=0.4")).experiment();
        List<TaskSpec> specs = t.sampler().heldOut(Split.TEST, 600);
        assertEquals(specs, maml.sampler().heldOut(Split.TEST, 600));
        for (TaskSpec s : specs.subList(0, 5)) {
            assertArrayEquals(maml.heldOutTask(s).support().x(), t.heldOutTask(s).support().x());
            assertArrayEquals(maml.heldOutTask(s).query().y(), t.heldOutTask(s).query().y());
        }
    }

    @Test
    void transferIsRefusedWhereItCannotApply() {
        ConfigException mlp = assertThrows(ConfigException.class,
                () -> Recipe.of(RunConfig.defaults().with("algorithm=transfer")).experiment());
        assertTrue(mlp.getMessage().contains("conv4"), mlp.getMessage());
        ConfigException pretrain = assertThrows(ConfigException.class,
                () -> Recipe.of(transfer("algorithm=pretrain")).experiment());
        assertTrue(pretrain.getMessage().contains("use algorithm transfer"), pretrain.getMessage());
        ConfigException cosine = assertThrows(ConfigException.class,
                () -> Recipe.of(transfer("transfer_finetune=true", "transfer_head=cosine")).experiment());
        assertTrue(cosine.getMessage().contains("transfer_head cosine"), cosine.getMessage());
        ConfigException step = assertThrows(ConfigException.class, () -> Recipe.of(transfer("lr_schedule=step")).experiment());
        assertTrue(step.getMessage().contains("lr_schedule step"), step.getMessage());
    }
}
