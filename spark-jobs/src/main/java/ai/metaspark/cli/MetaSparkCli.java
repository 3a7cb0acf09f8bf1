package ai.metaspark.cli;

import ai.metaspark.config.ConfigException;
import ai.metaspark.data.DataException;
import ai.metaspark.train.DivergedException;
import ai.metaspark.train.StoppedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code bin/metaspark <command>}. */
@Command(name = "metaspark", mixinStandardHelpOptions = true, versionProvider = MetaSparkCli.Version.class,
        description = "Distributed meta-learning on Spark and Deeplearning4j.",
        subcommands = {TrainCommand.class, SweepCommand.class, EvaluateCommand.class, ReportCommand.class, BenchCommand.class, KeysCommand.class,
                MakeExampleDataCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "2:bad configuration, arguments or output path", "3:data missing",
                "4:training diverged", "5:infrastructure failure (BLAS self-check, cluster, file system)",
                "6:stopped by SIGTERM or SIGINT with a checkpoint (--resume continues)"})
public final class MetaSparkCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (what tests call). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new MetaSparkCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("metaspark: " + message(e));
            return exitCode(e);
        });
        return cl.execute(args);
    }

    static int exitCode(Throwable e) {
        if (e instanceof ConfigException) return ExitCodes.BAD_CONFIG;
        if (e instanceof DivergedException) return ExitCodes.DIVERGED;
        if (e instanceof DataException) return ExitCodes.DATA_MISSING;
        if (e instanceof StoppedException) return ExitCodes.STOPPED;
        return ExitCodes.INFRASTRUCTURE;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.toString() : m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MetaSparkCli.class.getPackage().getImplementationVersion();
            return new String[]{"metaspark " + (v == null ? "dev" : v)};
        }
    }
}
