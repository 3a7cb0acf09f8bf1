package ai.metaspark.cli;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.RunConfig;
import ai.metaspark.jobs.SinusoidBench;
import ai.metaspark.jobs.SparkBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code metaspark bench sinusoid}: speed tables. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, printed as tables. sinusoid: meta-steps/s of every algorithm and backend, "
                + "where the time goes, and memory per inner step. spark: one meta-step in-process vs through Spark "
                + "(local[2], local-cluster with 1 and 2 executors).")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "sinusoid | spark")
    String what;

    @Option(names = "--steps", description = "meta-steps per timed round (default ${DEFAULT-VALUE})")
    int steps = 2000;

    @Option(names = "--rounds", description = "timed rounds; the median is reported (default ${DEFAULT-VALUE})")
    int rounds = 5;

    @Option(names = "--threads", description = "worker threads (0: one per core; default ${DEFAULT-VALUE})")
    int threads = 0;

    @Override
    public Integer call() {
        if (steps < 1 || rounds < 1 || threads < 0) {
            throw new ConfigException("--steps and --rounds must be >= 1 and --threads >= 0");
        }
        switch (what) {
            case "sinusoid" -> new SinusoidBench(steps, rounds, threads, System.out).run();
            case "spark" -> new SparkBench(Math.max(1, steps / 10), rounds, System.out).run(List.of(
                    new SparkBench.Workload("sinusoid MLP 40-40, MAML", RunConfig.defaults())));
            default -> throw new ConfigException("unknown benchmark '" + what + "' (expected: sinusoid, spark)");
        }
        return ExitCodes.OK;
    }
}
