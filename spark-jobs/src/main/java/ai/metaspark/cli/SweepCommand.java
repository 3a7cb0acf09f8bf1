package ai.metaspark.cli;

import ai.metaspark.jobs.SweepJob;
import ai.metaspark.jobs.TrainOptions;
import ai.metaspark.sweep.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code metaspark sweep --config FILE --out DIR [--master URL | --in-process] [--resume]}. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a hyperparameter sweep (grid, random, successive halving or ASHA over recipe keys): trials as tasks "
                + "of one Spark application; writes trials.jsonl, trials.csv, best.yaml and report.html. See docs/sweeps.md.")
public final class SweepCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "sweep file (any Hadoop path), e.g. conf/sweep-sinusoid.yaml")
    String config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "sweep folder (any Hadoop path the executors reach)")
    String out;

    @Mixin
    Placement placement = new Placement();

    @Option(names = "--resume", description = "continue the sweep in --out: no recorded trial result runs again; running trials continue from their checkpoints")
    boolean resume;

    @Override
    public Integer call() {
        placement.check();
        SweepSpec spec = SweepSpec.read(config);
        new SweepJob(spec, new TrainOptions(out, placement.master, placement.inProcess, resume, false), System.out).run();
        return ExitCodes.OK;
    }
}
