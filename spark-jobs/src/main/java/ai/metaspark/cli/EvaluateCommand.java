package ai.metaspark.cli;

import ai.metaspark.eval.EvalResult;
import ai.metaspark.run.RunFolder;
import ai.metaspark.spark.table.TablePreparation;
import ai.metaspark.runtime.BlasSelfCheck;
import ai.metaspark.task.Split;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code metaspark evaluate --run DIR [--step N] [--set KEY=VALUE ...]}: meta-tests a finished run (or one of its checkpoints) again. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Re-run the meta-test of a finished run (e.g. --set eval_tasks=2000). Writes "
                + "evaluations/eval-<time>.json in the run folder; the run's own eval.json is never overwritten.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "a run folder written by train")
    String run;

    @Option(names = "--step", paramLabel = "N", description = "meta-test the checkpoint of step N (the transfer baseline: "
            + "of epoch N) instead of the final parameters")
    Integer step;

    @Mixin
    ConfigOverrides overrides = new ConfigOverrides();

    @Override
    public Integer call() throws Exception {
        RunFolder folder = RunFolder.open(run, overrides.values);
        double[] meta = step == null ? folder.readMeta() : folder.checkpointMeta(step);
        BlasSelfCheck.verify();
        TablePreparation.ensure(folder.recipe(), null, false, System.out); // a table: its prepared copy (again, if it changed)
        Experiment e = folder.recipe().experiment();
        try (LocalTaskRunner runner = new LocalTaskRunner(e, e.execution().threads())) {
            EvalResult r = new MetaTrainer(e, runner, RunLog.NONE, System.out).evaluate(meta, Split.TEST, e.evaluation().tasks());
            String name = "evaluations/eval-" + (step == null ? "" : "step-" + step + "-") + Instant.now().toString().replace(":", "") + ".json";
            Map<String, Object> extra = new java.util.LinkedHashMap<>(Map.of("algorithm", e.spec().name()));
            if (step != null) extra.put("checkpoint_step", step);
            folder.writeEval(name, r, extra);
            System.out.println(r.summary() + " -> " + run + "/" + name);
        }
        return ExitCodes.OK;
    }
}
