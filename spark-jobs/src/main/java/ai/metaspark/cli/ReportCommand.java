package ai.metaspark.cli;

import ai.metaspark.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code metaspark report --run DIR}: (re)writes a run's report.html. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "(Re)write report.html in a run folder: plots of metrics.jsonl and eval.json and tables of the "
                + "config and final metrics, as one self-contained HTML file. train writes it too.")
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "a run folder written by train")
    String run;

    @Override
    public Integer call() {
        System.out.println("report: " + RunReport.write(run));
        return ExitCodes.OK;
    }
}
