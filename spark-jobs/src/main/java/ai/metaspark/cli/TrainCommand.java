package ai.metaspark.cli;

import ai.metaspark.config.RunConfig;
import ai.metaspark.io.Files;
import ai.metaspark.jobs.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code metaspark train --config FILE [--out DIR] [--set KEY=VALUE ...]}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Meta-train, meta-test on unseen tasks and write a run folder "
                + "(config.yaml, metrics.jsonl, eval.json, checkpoints/, model.zip).")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML recipe (any Hadoop path), e.g. conf/sinusoid-maml.yaml")
    String config;

    @Option(names = "--out", paramLabel = "DIR", description = "run folder (any Hadoop path); default runs/<recipe>-<time>")
    String out;

    @Mixin
    ConfigOverrides overrides = new ConfigOverrides();

    @Override
    public Integer call() throws Exception {
        RunConfig c = Files.readConfig(config, overrides.values);
        String dir = out != null ? out : defaultOut(config);
        new TrainJob(c, dir, System.out).run();
        return ExitCodes.OK;
    }

    private static String defaultOut(String config) {
        String name = config.replaceAll(".*/", "").replaceAll("\\.ya?ml$", "");
        return "runs/" + name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
