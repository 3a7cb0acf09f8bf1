package ai.metaspark.report;

import ai.metaspark.data.DataLocation;
import ai.metaspark.cli.MetaSparkCli;
import ai.metaspark.config.ConfigException;
import ai.metaspark.run.RunFolder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report.html of a real short training, of a hand-written future run, and the report command's refusals. */
class RunReportTest {
    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void trainOnce() {
        run = tmp.resolve("maml-short");
        int code = MetaSparkCli.run("train", "--config", DataLocation.projectRoot().resolve("conf/sinusoid-maml.yaml").toString(), "--out", run.toString(),
                "--set", "meta_steps=200", "--set", "eval_tasks=20", "--set", "val_every=50", "--set", "log_every=20");
        assertEquals(0, code, "training exit code");
    }

    @Test
    void trainingWritesAReportWithEveryPlotConfigValueAndTheEvalMean() throws IOException {
        String html = Files.readString(run.resolve(RunReport.FILE));
        List<BufferedImage> images = RunFixtures.images(html);
        assertEquals(5, html.split("<img ", -1).length - 1, "train loss, validation loss, per-step, ms/step, tasks/s");
        assertEquals(5, images.size(), "every <img> is a base64 PNG");
        for (BufferedImage image : images) {
            assertEquals(Plots.WIDTH, image.getWidth());
            assertEquals(Plots.HEIGHT, image.getHeight());
            assertTrue(RunFixtures.variance(image) > 0, "a plot is blank");
        }
        assertTrue(html.contains("<title>maml-short · maml"), "title names the folder and algorithm");
        Iterator<Map.Entry<String, JsonNode>> keys = new YAMLMapper().readTree(run.resolve("config.yaml").toFile()).fields();
        int n = 0;
        for (; keys.hasNext(); n++) {
            Map.Entry<String, JsonNode> k = keys.next();
            String value = k.getValue().isArray() ? k.getValue().toString().replace(",", ", ") : k.getValue().asText();
            assertTrue(html.contains("<td>" + k.getKey() + "</td><td class=\"v\">" + value + "</td>"), k + " in the config table");
        }
        assertTrue(n > 20 && html.contains("<td>meta_steps</td><td class=\"v\">200</td>"), "resolved config with the override");
        JsonNode eval = new ObjectMapper().readTree(run.resolve("eval.json").toFile());
        assertTrue(html.contains("<td>mean</td><td class=\"v\">" + eval.get("mean").asText() + "</td>"), "eval mean in the table");
        assertFalse(html.contains("src=\"http") || html.contains("<script"), "self-contained: nothing fetched, no script");
    }

    @Test
    void reportCommandRewritesTheReportAtomically() throws IOException {
        Files.delete(run.resolve(RunReport.FILE));
        assertEquals(0, MetaSparkCli.run("report", "--run", run.toString()));
        assertTrue(Files.size(run.resolve(RunReport.FILE)) > 10_000);
        try (var files = Files.list(run)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void missingRunFolderOrFilesExitWithTwoAndSayWhat() throws IOException {
        String[] err = new String[1];
        assertEquals(2, RunFixtures.cli(err, "report", "--run", tmp.resolve("nope").toString()));
        assertTrue(err[0].contains("run folder not found") && err[0].contains("nope"), err[0]);

        Path partial = Files.createDirectories(tmp.resolve("partial"));
        Files.copy(run.resolve("config.yaml"), partial.resolve("config.yaml"));
        Files.copy(run.resolve("metrics.jsonl"), partial.resolve("metrics.jsonl"));
        assertEquals(2, RunFixtures.cli(err, "report", "--run", partial.toString()));
        assertTrue(err[0].contains("has no eval.json"), err[0]);
        assertFalse(Files.exists(partial.resolve(RunReport.FILE)));
        assertThrows(ConfigException.class, () -> RunReport.write(partial.toString()));

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunReport.writeAfterTraining(RunFolder.open(partial.toString(), List.of()), new PrintStream(console, true, StandardCharsets.UTF_8));
        assertEquals("", console.toString(StandardCharsets.UTF_8), "after training, a failed report is only a warning");
        assertFalse(Files.exists(partial.resolve(RunReport.FILE)));
    }

    @Test
    void futureFieldsNaNsListenerLinesAndATruncatedLineGiveAReport() throws IOException {
        Path dir = RunFixtures.classificationRun(tmp.resolve("future"));
        String html = report(dir);
        for (String title : List.of("Meta-train loss", "Meta-train accuracy", "Meta-validation loss", "Meta-validation accuracy",
                "Meta-test accuracy after each inner step", "Time per meta-step", "Tasks per second")) {
            assertTrue(html.contains("<img alt=\"" + title + "\""), title);
        }
        for (BufferedImage image : RunFixtures.images(html)) assertTrue(RunFixtures.variance(image) > 0);
        assertTrue(html.contains("<td>mean</td><td class=\"v\">NaN</td>"), "NaN rendered");
        assertTrue(html.contains("[0.2, 0.41, 0.55, NaN, 0.63, 0.66, Infinity]"), "per_step as written");
        assertTrue(html.contains("30 line(s) kind stage") && html.contains("1 line(s) unreadable"), "skipped lines counted");
        assertTrue(html.contains("(25 tasks per meta-step)"), "meta_batch's default when config.yaml lacks it");

        Files.writeString(dir.resolve("metrics.jsonl"), "");
        html = report(dir);
        assertEquals(1, RunFixtures.images(html).size(), "only the meta-test plot without metrics");
        assertTrue(html.contains("metrics.jsonl has no training or validation lines"));
    }

    private static String report(Path dir) throws IOException {
        RunReport.write(dir.toString());
        return Files.readString(dir.resolve(RunReport.FILE));
    }

}
