package ai.metaspark.report;

import ai.metaspark.cli.MetaSparkCli;
import ai.metaspark.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report.html of hand-written sweep folders (halving with a failed trial; random over accuracy) and its refusals. */
class SweepReportTest {
    private static final String ERROR = "loss is NaN <diverged> at step 40 & stopped";
    private static final Pattern ROW = Pattern.compile("<tr( class=\"(best|failed)\")?><td>(t\\d{4})</td><td class=\"n\">(\\d+)</td>");

    @TempDir
    Path tmp;

    /**
     * A halving sweep over three keys (a category, a log-uniform rate, a narrow integer) with 6 trials at 100
     * meta-steps, 2 at 300 and 1 at 900; t0003 failed at rung 0 with {@link #ERROR} and "NaN" mean and CI.
     */
    static Path halvingSweep(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("trials"));
        Files.writeString(dir.resolve("sweep.yaml"), """
                base: conf/sinusoid-maml.yaml
                space:
                  algorithm: [maml, pretrain]
                  inner_lr: {log_uniform: [0.0001, 1.0]}
                  inner_steps: [1, 3, 5]
                scheduler: halving
                trials: 6
                eta: 3
                min_budget: 100
                max_budget: 900
                metric: validation
                seed: 7
                """);
        String[][] values = {{"maml", "0.0002", "1"}, {"maml", "0.01", "3"}, {"pretrain", "0.003", "5"},
                {"maml", "0.9", "5"}, {"maml", "0.02", "1"}, {"pretrain", "0.0005", "3"}};
        double[] rung0 = {3.1, 1.9, 3.3, Double.NaN, 1.7, 3.2};
        StringBuilder jsonl = new StringBuilder();
        for (int t = 0; t < 6; t++) jsonl.append(row(t, 0, 100, values[t], rung0[t], t == 3 ? ERROR : null));
        jsonl.append(row(1, 1, 300, values[1], 1.1, null)).append(row(4, 1, 300, values[4], 0.9, null));
        jsonl.append(row(4, 2, 900, values[4], 0.55, null));
        Files.writeString(dir.resolve("trials.jsonl"), jsonl);
        Files.writeString(dir.resolve("best.yaml"), "# the sweep's best trial: t0004 (algorithm=maml, inner_lr=0.02, inner_steps=1; "
                + "mse 0.55 +- 0.055 at 900 meta-steps)\nalgorithm: maml\ninner_lr: 0.02\n");
        return dir;
    }

    private static String row(int trial, int rung, int budget, String[] v, double mean, String error) {
        boolean failed = Double.isNaN(mean);
        return String.format(Locale.ROOT, "{\"trial\":%d,\"rung\":%d,\"budget\":%d,\"status\":\"%s\",\"values\":{\"algorithm\":\"%s\","
                        + "\"inner_lr\":\"%s\",\"inner_steps\":\"%s\"},\"seed\":%d,\"metric\":\"mse\",\"mean\":%s,\"ci95\":%s,"
                        + "\"wall_s\":%.3f,\"error\":%s}%n", trial, rung, budget, failed ? "failed" : "done", v[0], v[1], v[2], 1000L + trial,
                failed ? "\"NaN\"" : Double.toString(mean), failed ? "\"NaN\"" : Double.toString(mean / 10), 1.5 + rung,
                error == null ? "null" : "\"" + error + "\"");
    }

    @Test
    void halvingReportPlotsEachKeyAndTheRungsTablesEveryRowAndNamesTheBest() throws IOException {
        Path dir = halvingSweep(tmp.resolve("sweep-a"));
        String html = report(dir);

        List<BufferedImage> images = RunFixtures.images(html);
        assertEquals(4, html.split("<img ", -1).length - 1, "one plot per swept key (3) and the rungs plot");
        assertEquals(4, images.size(), "every <img> is a base64 PNG");
        for (BufferedImage image : images) {
            assertEquals(Plots.WIDTH, image.getWidth());
            assertTrue(RunFixtures.variance(image) > 0, "a plot is blank");
        }
        for (String key : List.of("algorithm", "inner_lr", "inner_steps")) {
            assertTrue(html.contains("<img alt=\"validation mse against " + key + "\""), key + " plot");
        }
        assertTrue(html.contains("<img alt=\"Rungs: validation mse of the promoted trials\""), "rungs plot");
        assertTrue(html.contains("x: inner_lr, log scale."), "0.0002 .. 0.9 spans more than 20x: log axis");
        assertTrue(html.contains("x: inner_steps, linear scale."), "1 .. 5: linear axis");
        assertTrue(html.contains("x: algorithm, one category per value"), "algorithm is categorical");
        assertTrue(html.contains("1 failed row(s), without a result, not plotted (t0003 at rung 0)"), "failed row counted in captions");

        assertTrue(html.contains("<h1>sweep-a · halving sweep · validation mse (lower is better)</h1>"), "title: folder, scheduler, metric, direction");
        assertTrue(html.contains("best trial: t0004 (algorithm=maml, inner_lr=0.02, inner_steps=1): validation mse 0.55 ± 0.055"
                + " (95% CI) at 900 meta-steps, rung 2"), "the best trial is named with its result");

        List<String[]> rows = tableRows(html);
        long lines = Files.readAllLines(dir.resolve("trials.jsonl")).stream().filter(l -> !l.isBlank()).count();
        assertEquals(9, lines);
        assertEquals(lines, rows.size(), "one table row per trials.jsonl line");
        assertEquals(lines + 1, table(html).split("<tr", -1).length - 1, "and a header");
        assertEquals(List.of("best", "t0004", "2"), List.of(rows.get(0)), "the best trial first, at the highest rung");
        assertEquals(List.of("", "t0004", "1"), List.of(rows.get(1)), "rung 1: 0.9 before 1.1");
        assertEquals(List.of("", "t0001", "1"), List.of(rows.get(2)));
        assertEquals(List.of("", "t0004", "0"), List.of(rows.get(3)), "rung 0 best first: 1.7");
        assertEquals(List.of("failed", "t0003", "0"), List.of(rows.get(8)), "the failed row last in its rung");

        assertTrue(html.contains("loss is NaN &lt;diverged&gt; at step 40 &amp; stopped"), "error message escaped");
        assertFalse(html.contains(ERROR), "no raw error text");

        // best.yaml names the best trial (here, artificially, another one), also in the header of earlier versions
        Files.writeString(dir.resolve("best.yaml"), "# the best trial of the sweep in file:/x/t0004: t0001 (algorithm=maml, "
                + "inner_lr=0.01, inner_steps=3 mse = 1.1 +- 0.11 at 300 meta-steps)\nalgorithm: maml\n");
        html = report(dir);
        assertTrue(html.contains("best trial: t0001 (algorithm=maml, inner_lr=0.01, inner_steps=3): validation mse 1.1 ± 0.11"
                + " (95% CI) at 300 meta-steps, rung 1"), "the trial best.yaml names");
        assertEquals(List.of("best", "t0001", "1"), List.of(tableRows(html).get(2)), "marked in the table");
        assertFalse(html.contains("<script") || html.contains("src=\"http"), "self-contained: no script, nothing fetched");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void withoutBestYamlTheBestIsRankedInTheHighestRungAndAccuracyIsMaximized() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("random"));
        Files.writeString(dir.resolve("sweep.yaml"), "base: conf/x.yaml\nspace:\n  outer_lr: [0.001, 0.003]\nscheduler: random\nmetric: test\n");
        Files.writeString(dir.resolve("trials.jsonl"), """
                {"trial":0,"rung":0,"budget":200,"status":"done","values":{"outer_lr":"0.001"},"seed":1,"metric":"accuracy","mean":0.61,"ci95":0.02,"wall_s":3.0,"error":null}
                {"trial":1,"rung":0,"budget":200,"status":"done","values":{"outer_lr":"0.003"},"seed":2,"metric":"accuracy","mean":0.72,"ci95":0.02,"wall_s":3.0,"error":null}
                {"trial":2,"rung":0,"budget":200,"status":"failed","values":{"outer_lr":"0.003"},"seed":3,"metric":null,"mean":"NaN","ci95":"NaN","wall_s":0.1,"error":"refused"}
                """);
        String html = report(dir);
        assertTrue(html.contains("random sweep · test accuracy (higher is better)"), "direction auto: accuracy is maximized");
        assertTrue(html.contains("best so far (no best.yaml yet): t0001 (outer_lr=0.003): test accuracy 0.72"), "ranked: the highest mean");
        assertEquals(1, RunFixtures.images(html).size(), "one key, and no rungs plot without rung 1");
        assertTrue(html.contains("no trial reached rung 1, so there is no rungs plot"));
        assertEquals(List.of("best", "t0001", "0"), List.of(tableRows(html).get(0)));
        assertEquals(3, tableRows(html).size());
    }

    @Test
    void missingOrMalformedFilesAreConfigExceptionsNamingTheFolder() throws IOException {
        Path dir = halvingSweep(tmp.resolve("broken"));
        Files.delete(dir.resolve("trials.jsonl"));
        ConfigException e = assertThrows(ConfigException.class, () -> SweepReport.write(dir.toString()));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("no trials.jsonl"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(SweepReport.FILE)));

        Files.writeString(dir.resolve("trials.jsonl"), "{\"trial\":0,\"rung\":0}\n{\"trial\":1,\"ru");
        e = assertThrows(ConfigException.class, () -> SweepReport.write(dir.toString()));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("trials.jsonl line 2 is malformed")
                && !e.getMessage().contains("\n"), e.getMessage());
        Files.writeString(dir.resolve("trials.jsonl"), "[1, 2]\n");
        e = assertThrows(ConfigException.class, () -> SweepReport.write(dir.toString()));
        assertTrue(e.getMessage().contains("trials.jsonl line 1 is not a trial row"), e.getMessage());

        Files.writeString(dir.resolve("trials.jsonl"), "");
        Files.writeString(dir.resolve("sweep.yaml"), "- a list\n- not a mapping\n");
        e = assertThrows(ConfigException.class, () -> SweepReport.write(dir.toString()));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("sweep.yaml is not a YAML mapping"), e.getMessage());
        Files.delete(dir.resolve("sweep.yaml"));
        e = assertThrows(ConfigException.class, () -> SweepReport.write(dir.toString()));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("no sweep.yaml"), e.getMessage());

        Path nowhere = tmp.resolve("nope");
        e = assertThrows(ConfigException.class, () -> SweepReport.write(nowhere.toString()));
        assertTrue(e.getMessage().contains("sweep folder not found: " + nowhere), e.getMessage());

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SweepReport.writeAfterSweep(dir.toString(), new PrintStream(console, true, StandardCharsets.UTF_8));
        assertEquals("", console.toString(StandardCharsets.UTF_8), "after a sweep, a failed report is only a warning");
        assertFalse(Files.exists(dir.resolve(SweepReport.FILE)));
    }

    @Test
    void writeAfterSweepPrintsThePathAndAnEmptySweepStillGetsAPage() throws IOException {
        Path dir = halvingSweep(tmp.resolve("after"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SweepReport.writeAfterSweep(dir.toString(), new PrintStream(console, true, StandardCharsets.UTF_8));
        assertTrue(console.toString(StandardCharsets.UTF_8).startsWith("report: ") && Files.exists(dir.resolve(SweepReport.FILE)));

        Files.writeString(dir.resolve("trials.jsonl"), "");
        Files.delete(dir.resolve("best.yaml"));
        String html = report(dir);
        assertTrue(html.contains("no trial has a result yet") && html.contains("No trial has a result to plot yet."));
        assertEquals(0, tableRows(html).size());
    }

    @Test
    void reportCommandTakesExactlyOneOfRunAndSweep() throws IOException {
        Path dir = halvingSweep(tmp.resolve("cli"));
        assertEquals(0, MetaSparkCli.run("report", "--sweep", dir.toString()));
        assertTrue(Files.size(dir.resolve(SweepReport.FILE)) > 10_000);
        String[] err = new String[1];
        assertEquals(2, RunFixtures.cli(err, "report", "--sweep", dir.toString(), "--run", dir.toString()));
        assertTrue(err[0].contains("mutually exclusive"), err[0]);
        assertEquals(2, RunFixtures.cli(err, "report"));
        assertTrue(err[0].contains("--run") && err[0].contains("--sweep"), err[0]);
        assertEquals(2, RunFixtures.cli(err, "report", "--sweep", tmp.resolve("nope").toString()));
        assertTrue(err[0].contains("sweep folder not found"), err[0]);
    }

    private static String report(Path dir) throws IOException {
        SweepReport.write(dir.toString());
        return Files.readString(dir.resolve(SweepReport.FILE));
    }

    private static String table(String html) {
        int start = html.indexOf("<table class=\"trials\">");
        assertTrue(start >= 0, "the trials table");
        return html.substring(start, html.indexOf("</table>", start));
    }

    /** The table's rows as {class, trial, rung}. */
    private static List<String[]> tableRows(String html) {
        List<String[]> rows = new ArrayList<>();
        Matcher m = ROW.matcher(table(html));
        while (m.find()) rows.add(new String[]{m.group(2) == null ? "" : m.group(2), m.group(3), m.group(4)});
        return rows;
    }

}
