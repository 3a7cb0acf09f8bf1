package ai.metaspark.report;

import ai.metaspark.io.Files;
import ai.metaspark.run.RunFolder;
import org.apache.hadoop.fs.Path;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code report.html} into a run folder, beside {@code eval.json}: the plots and tables described in
 * {@link ai.metaspark.report the package documentation}, as one self-contained file.
 */
public final class RunReport {
    public static final String FILE = "report.html";

    private RunReport() {
    }

    /**
     * Reads config.yaml, metrics.jsonl and eval.json of the run folder at {@code runLocation} (any Hadoop path) and
     * writes its report.html atomically, replacing an older one.
     *
     * @return the report's path
     * @throws ai.metaspark.config.ConfigException when the folder or one of the three files is missing or malformed
     * @throws UncheckedIOException                when drawing or writing fails
     */
    public static Path write(String runLocation) {
        RunFiles run = RunFiles.read(runLocation);
        Path target = new Path(new Path(runLocation), FILE);
        try {
            byte[] html = Html.page(run, runLocation, Plots.of(run)).getBytes(StandardCharsets.UTF_8);
            Files.writeAtomically(Files.fileSystem(runLocation), target, html);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        return target;
    }

    /**
     * {@link #write} for the end of training: the run's results are already saved, so a failure (no fonts for the
     * plots, a full disk, say) is logged as a warning and training still succeeds.
     */
    public static void writeAfterTraining(RunFolder run, PrintStream console) {
        try {
            console.println("report: " + write(run.path().toString()));
        } catch (RuntimeException | LinkageError | java.awt.AWTError | org.apache.hadoop.fs.FSError e) {   // FSError: disk full
            LoggerFactory.getLogger(RunReport.class).warn("report.html not written for {} (the run's results are saved; "
                    + "retry with: bin/metaspark report --run {}): {}", run.path(), run.path(), e.toString(), e);
        }
    }
}
