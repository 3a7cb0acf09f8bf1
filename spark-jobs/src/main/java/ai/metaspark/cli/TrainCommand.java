package ai.metaspark.cli;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.io.Files;
import ai.metaspark.jobs.TrainJob;
import ai.metaspark.jobs.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code metaspark train --config FILE [--out DIR] [--master URL | --in-process] [--resume] [--set KEY=VALUE ...]}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Meta-train, meta-test on unseen tasks and write a run folder "
                + "(config.yaml, metrics.jsonl, eval.json, checkpoints/, model.zip).")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML recipe (any Hadoop path), e.g. conf/sinusoid-maml.yaml")
    String config;

    @Option(names = "--out", paramLabel = "DIR", description = "run folder (any Hadoop path); default runs/<recipe>-<time>")
    String out;

    @Mixin
    Placement placement = new Placement();

    @Option(names = "--resume", description = "continue an unfinished run folder from its newest checkpoint (a new folder starts fresh)")
    boolean resume;

    @Option(names = "--fallback-checkpoint", description = "with --resume: if the newest checkpoint is corrupt, keep it aside and use the previous one")
    boolean fallbackCheckpoint;

    @Mixin
    ConfigOverrides overrides = new ConfigOverrides();

    @Override
    public Integer call() throws Exception {
        Recipe recipe = Recipe.read(config, overrides.values);
        String dir = out != null ? out : defaultOut(config);
        placement.check();
        new TrainJob(recipe, new TrainOptions(dir, placement.master, placement.inProcess, resume, fallbackCheckpoint), System.out).run();
        return ExitCodes.OK;
    }

    private static String defaultOut(String config) {
        String name = config.replaceAll(".*/", "").replaceAll("\\.ya?ml$", "");
        return "runs/" + name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
