package ai.metaspark.spark.table;

import ai.metaspark.data.DataLocation;
import ai.metaspark.eval.EvalResult;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.task.Split;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The personalization claim on the example table (written to Parquet and prepared with Spark SQL): meta-learning
 * (MAML, Reptile) adapts to held-out users better than per-user training from scratch and than one global model
 * fine-tuned per user, with 95% confidence intervals that do not overlap. The baselines get the better deal: their
 * fine-tuning rate and step count (4 rates x 10 or 100 steps) are chosen on the validation users; the meta-learners
 * adapt as they were trained (10 steps at their inner rate). Prints the table docs/own-data.md quotes.
 */
class TablePersonalizationTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Recipe base;

    @BeforeAll
    static void prepareTheExampleTable() throws IOException {
        Path table = tmp.resolve("table");
        ExampleTable.write(table.toString(), 1);
        base = Recipe.read(DataLocation.projectRoot().resolve("conf/table-personalization-example.yaml").toString(), List.of("data=" + table, "table_cache=" + tmp.resolve("cache"), "val_every=0"));
        TablePreparation.ensure(base, "local[2]", false, System.out);
    }

    @Test
    void metaLearningBeatsScratchAndAFineTunedGlobalModel() {
        Map<String, EvalResult> results = new LinkedHashMap<>();
        results.put("maml", metaTest(base, train(base)));
        Recipe reptile = base.with("algorithm=reptile", "inner_steps=5", "inner_lr=0.02");
        results.put("reptile (5 inner steps at 0.02)", metaTest(reptile, train(reptile)));
        Recipe pretrain = base.with("algorithm=pretrain");
        results.put("global model, fine-tuned", tunedFineTuning(train(pretrain)));
        results.put("per user from scratch", tunedFineTuning(new MetaTrainer(pretrain.experiment(), null, RunLog.NONE, QUIET)
                .initialState().meta()));
        System.out.println("| method | test MSE (600 held-out users) |\n| --- | --- |");
        results.forEach((name, r) -> System.out.printf(Locale.ROOT, "| %s | %.3f +- %.3f |%n", name, r.mean(), r.ci95()));
        for (String learner : List.of("maml", "reptile (5 inner steps at 0.02)")) {
            for (String baseline : List.of("global model, fine-tuned", "per user from scratch")) {
                EvalResult m = results.get(learner);
                EvalResult b = results.get(baseline);
                assertTrue(m.mean() + m.ci95() < b.mean() - b.ci95(), learner + " vs " + baseline + ": " + results);
            }
        }
    }

    /** Meta-trains {@code recipe} in-process and returns the meta-parameters. */
    private static double[] train(Recipe recipe) {
        Experiment e = recipe.experiment();
        try (LocalTaskRunner runner = new LocalTaskRunner(e, 0)) {
            MetaTrainer trainer = new MetaTrainer(e, runner, RunLog.NONE, QUIET);
            return MetaTrainer.result(e.schedule(), trainer.train(trainer.initialState()));
        }
    }

    private static EvalResult metaTest(Recipe recipe, double[] meta) {
        return evaluate(recipe, meta, Split.TEST);
    }

    /** Fine-tuning of {@code start} with the rate and step count best on the validation users, meta-tested. */
    private static EvalResult tunedFineTuning(double[] start) {
        Recipe best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (String lr : List.of("0.003", "0.01", "0.03", "0.1")) {
            for (String steps : List.of("10", "100")) {
                Recipe r = base.with("inner_lr=" + lr, "eval_inner_steps=" + steps, "eval_steps=" + steps);
                double loss = evaluate(r, start, Split.VALIDATION).mean();
                if (loss < bestLoss) {
                    bestLoss = loss;
                    best = r;
                }
            }
        }
        return evaluate(best, start, Split.TEST);
    }

    private static EvalResult evaluate(Recipe recipe, double[] meta, Split split) {
        Experiment e = recipe.experiment();
        try (LocalTaskRunner runner = new LocalTaskRunner(e, 0)) {
            int tasks = split == Split.TEST ? e.evaluation().tasks() : 200;
            return new MetaTrainer(e, runner, RunLog.NONE, QUIET).evaluate(meta, split, tasks);
        }
    }
}
