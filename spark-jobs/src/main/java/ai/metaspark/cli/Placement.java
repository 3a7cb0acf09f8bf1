package ai.metaspark.cli;

import ai.metaspark.config.ConfigException;
import picocli.CommandLine.Option;

/** Where the work runs: the {@code --master URL} and {@code --in-process} options of train and sweep. */
final class Placement {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (local[N], spark://HOST:PORT, yarn, k8s://...); "
            + "default: spark-submit's, else embedded local[*]")
    String master;

    @Option(names = "--in-process", description = "run on threads of this JVM, without Spark (train: the reference trainer)")
    boolean inProcess;

    /** Refuses both options at once. */
    void check() {
        if (inProcess && master != null) throw new ConfigException("--in-process and --master " + master + " exclude each other");
    }
}
