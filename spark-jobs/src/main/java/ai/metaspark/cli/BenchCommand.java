package ai.metaspark.cli;

import ai.metaspark.jobs.SinusoidBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code metaspark bench sinusoid}: speed tables. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, printed as tables. sinusoid: meta-steps/s of every algorithm and backend, "
                + "where the time goes, and memory per inner step.")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "sinusoid")
    String what;

    @Option(names = "--steps", description = "meta-steps per timed round (default ${DEFAULT-VALUE})")
    int steps = 2000;

    @Option(names = "--rounds", description = "timed rounds; the median is reported (default ${DEFAULT-VALUE})")
    int rounds = 5;

    @Option(names = "--threads", description = "worker threads (0: one per core; default ${DEFAULT-VALUE})")
    int threads = 0;

    @Override
    public Integer call() {
        if (!what.equals("sinusoid")) {
            throw new ai.metaspark.config.ConfigException("unknown benchmark '" + what + "' (expected: sinusoid)");
        }
        if (steps < 1 || rounds < 1 || threads < 0) {
            throw new ai.metaspark.config.ConfigException("--steps and --rounds must be >= 1 and --threads >= 0");
        }
        new SinusoidBench(steps, rounds, threads, System.out).run();
        return ExitCodes.OK;
    }
}
