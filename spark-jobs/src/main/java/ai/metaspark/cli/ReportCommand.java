package ai.metaspark.cli;

import ai.metaspark.report.RunReport;
import ai.metaspark.report.SweepReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code metaspark report (--run DIR | --sweep DIR)}: (re)writes the report.html of a run or of a sweep. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "(Re)write report.html in a run folder (plots of metrics.jsonl and eval.json, tables of the config and "
                + "final metrics) or in a sweep folder (the metric against each swept key by rung, the rungs of the promoted "
                + "trials, the trials table), as one self-contained HTML file. train and sweep write it too.")
public final class ReportCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Exactly one of the two folders. */
    static final class Target {
        @Option(names = "--run", required = true, paramLabel = "DIR", description = "a run folder written by train")
        String run;

        @Option(names = "--sweep", required = true, paramLabel = "DIR", description = "a sweep folder written by sweep (holds trials.jsonl)")
        String sweep;
    }

    @Override
    public Integer call() {
        System.out.println("report: " + (target.sweep != null ? SweepReport.write(target.sweep) : RunReport.write(target.run)));
        return ExitCodes.OK;
    }
}
