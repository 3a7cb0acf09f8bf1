package ai.metaspark.cli;

import ai.metaspark.config.ConfigException;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.jobs.BackendBench;
import ai.metaspark.jobs.Conv4Bench;
import ai.metaspark.jobs.MamlBench;
import ai.metaspark.jobs.SinusoidBench;
import ai.metaspark.jobs.SparkBench;
import ai.metaspark.jobs.SweepBench;
import ai.metaspark.jobs.TransferBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code metaspark bench sinusoid|conv4|maml|backends|spark|transfer|sweep}: speed tables. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, printed as tables. sinusoid: meta-steps/s of every algorithm and backend, "
                + "where the time goes, and memory per inner step. conv4: Conv-4 forward+backward images/s (oneDNN) "
                + "per variant and episode batch size, against the sgemm peak; oneDNN threads come from OMP_NUM_THREADS. "
                + "maml: ms per meta-step of MAML, first-order MAML, ANIL, Meta-SGD and ProtoNets on Omniglot 5-way and "
                + "20-way 1-shot, 1 and 2 threads, against the FLOP limit. "
                + "backends: Conv-4 on ND4J operations (backend dl4j; the GPU with a CUDA build) against oneDNN (fast): "
                + "what ND4J runs on, loss, gradient and Hessian-vector product agreement, ms per MAML and ProtoNets meta-step. "
                + "spark: one meta-step in-process vs through Spark (local[2], local-cluster with 1 and 2 executors). "
                + "transfer: images/s of the transfer baseline's classifier training in-process vs DL4J Spark local[2] "
                + "(run with OMP_NUM_THREADS=1). "
                + "sweep: 16 sinusoid trials one after another in-process vs as Spark tasks (local[2], local-cluster with 2 executors).")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "sinusoid, conv4, maml, backends, spark, transfer or sweep")
    String what;

    @Option(names = "--steps", description = "meta-steps per timed round (default ${DEFAULT-VALUE}; spark: a tenth of "
            + "it for the sinusoid, a hundredth for Omniglot, whose warm-up round is a quarter of that; maml: a hundredth; "
            + "transfer: a fiftieth, as minibatches of 64; sweep: a quarter, per trial; backends: a two-hundredth)")
    int steps = 2000;

    @Option(names = "--rounds", description = "timed rounds; the median is reported (default ${DEFAULT-VALUE})")
    int rounds = 5;

    @Option(names = "--threads", description = "worker threads (sinusoid: 0 = one per core, the default; "
            + "conv4: Java threads side by side, each with its own network, default 1)")
    Integer threads;

    @Override
    public Integer call() {
        int t = threads != null ? threads : what.equals("conv4") ? 1 : 0;
        if (steps < 1 || rounds < 1 || t < 0 || (what.equals("conv4") && t < 1)) {
            throw new ConfigException("--steps and --rounds must be >= 1 and --threads >= 0 (conv4: >= 1)");
        }
        switch (what) {
            case "sinusoid" -> new SinusoidBench(steps, rounds, t, System.out).run();
            case "conv4" -> new Conv4Bench(rounds, t, System.out).run();
            case "maml" -> new MamlBench(Math.max(1, steps / 100), rounds, System.out).run();
            case "backends" -> new BackendBench(Math.max(1, steps / 200), rounds, System.out).run();
            case "spark" -> new SparkBench(rounds, System.out).run(List.of(
                    new SparkBench.Workload("sinusoid MLP 40-40, MAML", Recipe.defaults(), Math.max(1, steps / 10),
                            Math.max(1, steps / 10)),
                    new SparkBench.Workload("Omniglot 5w1s Conv-4, ProtoNets", Recipe.defaults().with("task=omniglot",
                            "model=conv4", "algorithm=protonet", "k_shot=1", "k_query=15", "eval_query=15"),
                            Math.max(1, steps / 100), Math.max(1, steps / 400))));
            case "transfer" -> new TransferBench(Math.max(2, steps / 50), rounds, System.out).run();
            case "sweep" -> new SweepBench(Math.max(1, steps / 4), rounds, System.out).run();
            default -> throw new ConfigException("unknown benchmark '" + what
                    + "' (expected: sinusoid, conv4, maml, backends, spark, transfer, sweep)");
        }
        return ExitCodes.OK;
    }
}
