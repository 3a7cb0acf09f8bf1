package ai.metaspark.report;

import ai.metaspark.config.ConfigException;
import ai.metaspark.report.SweepFiles.Row;
import ai.metaspark.report.SweepFiles.Sweep;
import ai.metaspark.io.Files;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes {@code report.html} into a sweep folder (the one {@code bin/metaspark sweep} writes, laid out as
 * {@link ai.metaspark.sweep.SweepFolder} says), as one self-contained file like the run report: inline CSS, the plots
 * as inline PNGs drawn headless with XChart, no script, nothing fetched. It reads only {@code sweep.yaml},
 * {@code trials.jsonl} and, when present, {@code best.yaml} (its first-line comment) and {@code decisions.jsonl}
 * (counted), through the Hadoop FileSystem API, and shows:
 * <ul>
 *   <li>a title with the sweep folder and scheduler, the metric (split and {@code mse} or {@code accuracy}) and its
 *       direction ({@code direction} of sweep.yaml; {@code auto}: accuracy is maximized, mse minimized);</li>
 *   <li>the best trial: the one best.yaml's comment names, else (a sweep still running) the best done row of the
 *       highest rung that has one, with its values, mean ± 95% CI and budget;</li>
 *   <li>for each swept key (the keys of sweep.yaml's {@code space}), the metric against the key's value: the mean with
 *       its 95% CI as an error bar, one series per rung so the halving is visible; numeric keys on a log x-axis when
 *       every value is positive and they span more than a factor of 20, other keys (an algorithm, a boolean) as
 *       evenly spaced categories; failed rows are left out and counted in the caption;</li>
 *   <li>the rungs: each trial that reached rung 1 or higher, its mean at each budget (meta-steps) it was trained to,
 *       one line per trial, so promotions are visible;</li>
 *   <li>a table of every row of trials.jsonl (trial, rung, budget, status, the swept values, mean ± ci95, wall time,
 *       error), the highest rung first, best first within a rung;</li>
 *   <li>sweep.yaml as written.</li>
 * </ul>
 */
public final class SweepReport {
    public static final String FILE = "report.html";
    private static final String CSS = """
            .trials td.n{text-align:right;font-family:ui-monospace,monospace;white-space:nowrap}
            .trials tr.best td{background:#e8f3e8;font-weight:600}.trials tr.failed td{color:#a33}
            pre{background:#fff;border:1px solid #e3e3e3;padding:10px 14px;font-size:13px;overflow-x:auto}
            """;

    private SweepReport() {
    }

    /**
     * Reads sweep.yaml, trials.jsonl and best.yaml of the sweep folder at {@code sweepLocation} (any Hadoop path) and
     * writes its report.html atomically, replacing an older one.
     *
     * @return the report's path
     * @throws ConfigException      when the folder, sweep.yaml or trials.jsonl is missing or malformed
     * @throws UncheckedIOException when drawing or writing fails
     */
    public static Path write(String sweepLocation) {
        Sweep sweep = SweepFiles.read(sweepLocation);
        Path target = new Path(new Path(sweepLocation), FILE);
        try {
            byte[] html = page(sweep).getBytes(StandardCharsets.UTF_8);
            Files.writeAtomically(Files.fileSystem(sweepLocation), target, html);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        return target;
    }

    /**
     * {@link #write} for the end of a sweep: its results (trials.jsonl, best.yaml) are already saved, so a failure
     * (no fonts for the plots, a full disk, say) is logged as a warning and the sweep still succeeds.
     */
    public static void writeAfterSweep(String sweepLocation, PrintStream console) {
        try {
            console.println("report: " + write(sweepLocation));
        } catch (RuntimeException | LinkageError | java.awt.AWTError | org.apache.hadoop.fs.FSError e) {   // FSError: disk full
            LoggerFactory.getLogger(SweepReport.class).warn("report.html not written for {} (the sweep's results are saved; "
                    + "retry with: bin/metaspark report --sweep {}): {}", sweepLocation, sweepLocation, e.toString(), e);
        }
    }

    // ---------------------------------------------------------------- plots

    static List<Plots.Plot> plots(Sweep sweep) throws IOException {
        List<Plots.Plot> plots = new ArrayList<>();
        for (String key : sweep.keys()) {
            Plots.Plot p = againstKey(sweep, key);
            if (p != null) plots.add(p);
        }
        Plots.Plot rungs = rungs(sweep);
        if (rungs != null) plots.add(rungs);
        return plots;
    }

    /** The metric against {@code key}'s value, one series per rung, failed rows counted in the caption. */
    private static Plots.Plot againstKey(Sweep sweep, String key) throws IOException {
        List<Row> done = sweep.rows().stream().filter(r -> r.done() && r.values().containsKey(key)).toList();
        boolean numeric = !done.isEmpty() && done.stream().allMatch(r -> Double.isFinite(parse(r.values().get(key))));
        List<String> categories = numeric ? List.of() : categories(sweep, key);
        double min = done.stream().mapToDouble(r -> parse(r.values().get(key))).min().orElse(Double.NaN);
        double max = done.stream().mapToDouble(r -> parse(r.values().get(key))).max().orElse(Double.NaN);
        boolean log = numeric && min > 0 && max / min > 20;
        List<Integer> rungs = sweep.rungs();
        List<Plots.Curve> curves = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            int rung = rungs.get(i);
            double offset = categories.isEmpty() ? 0 : (i - (rungs.size() - 1) / 2.0) * Math.min(0.12, 0.6 / rungs.size());
            List<double[]> points = new ArrayList<>();
            for (Row r : done) {
                if (r.rung() != rung) continue;
                double x = numeric ? parse(r.values().get(key)) : categories.indexOf(r.values().get(key)) + offset;
                points.add(new double[]{x, r.mean(), Double.isFinite(r.ci95()) ? r.ci95() : 0});
            }
            curves.add(Plots.Curve.of(rungLabel(sweep, rung, points.size()), points, false));
        }
        String axis = key + (log ? " (log scale)" : "");
        String caption = "x: " + key + (log ? ", log scale" : numeric ? ", linear scale"
                : ", one category per value" + (rungs.size() > 1 ? " (rungs side by side)" : ""))
                + ". y: each trial's mean " + sweep.metric() + " with its 95% CI, one colour per rung. " + failedNote(sweep);
        return Plots.draw(sweep.metric() + " against " + key, new Plots.XAxis(axis, false, log, categories), sweep.metric(),
                caption.trim(), curves.toArray(Plots.Curve[]::new));
    }

    /** A categorical key's values: as listed in sweep.yaml's space, then in the order the rows have them. */
    private static List<String> categories(Sweep sweep, String key) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode domain = sweep.spec().path("space").path(key);
        if (domain.isObject() && domain.has("choice")) domain = domain.get("choice");
        if (domain.isArray()) domain.forEach(v -> names.add(SweepFiles.value(v)));
        sweep.rows().forEach(r -> {
            if (r.values().containsKey(key)) names.add(r.values().get(key));
        });
        return new ArrayList<>(names);
    }

    /**
     * Each trial that reached rung 1 or higher: its mean at each budget, a line per trial, those that went furthest (and
     * within a rung, the better) first; null when no trial reached rung 1.
     */
    private static Plots.Plot rungs(Sweep sweep) throws IOException {
        Map<Integer, Row> top = new LinkedHashMap<>();     // each trial's done row at its highest rung
        sweep.rows().stream().filter(Row::done).forEach(r -> top.merge(r.trial(), r, (a, b) -> a.rung() >= b.rung() ? a : b));
        List<Row> promoted = top.values().stream().filter(r -> r.rung() >= 1)
                .sorted(Comparator.comparingInt(Row::rung).reversed().thenComparing(sweep.ranking())).toList();
        if (promoted.isEmpty()) return null;
        Row best = sweep.best();
        List<Plots.Curve> curves = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Row last : promoted) {
            List<double[]> points = new ArrayList<>();
            for (Row r : sweep.rows()) {
                if (r.trial() != last.trial() || !r.done()) continue;
                points.add(new double[]{r.budget(), r.mean()});
                min = Math.min(min, r.budget());
                max = Math.max(max, r.budget());
            }
            points.sort(Comparator.comparingDouble(p -> p[0]));
            curves.add(Plots.Curve.of(last.name() + (best != null && best.trial() == last.trial() ? " (best)" : ""), points, true));
        }
        boolean log = min > 0 && max / min > 20;
        List<Row> named = promoted.stream().limit(Plots.LEGEND_MAX).toList();
        String caption = "Each trial promoted to rung 1 or higher: its mean " + sweep.metric() + " after each budget it was trained "
                + "to; a line that stops was not promoted further. "
                + (promoted.size() > named.size() ? "The legend names the " + named.size() + " of " + promoted.size()
                + " that went furthest: " : "")
                + named.stream().map(r -> r.name() + ": " + valuesText(r.values())).collect(Collectors.joining("; ")) + ". "
                + failedNote(sweep);
        return Plots.draw("Rungs: " + sweep.metric() + " of the promoted trials",
                new Plots.XAxis("budget (meta-steps)" + (log ? ", log scale" : ""), !log, log, List.of()), sweep.metric(),
                caption.trim(), curves.toArray(Plots.Curve[]::new));
    }

    private static String rungLabel(Sweep sweep, int rung, int n) {
        int budget = sweep.rows().stream().filter(r -> r.rung() == rung).mapToInt(Row::budget).max().orElse(0);
        return "rung " + rung + ": " + budget + " meta-steps (" + n + ")";
    }

    private static String failedNote(Sweep sweep) {
        List<Row> failed = sweep.rows().stream().filter(r -> !r.done()).toList();
        if (failed.isEmpty()) return "";
        String which = failed.stream().limit(5).map(r -> r.name() + " at rung " + r.rung()).collect(Collectors.joining(", "));
        return failed.size() + " failed row(s), without a result, not plotted (" + which + (failed.size() > 5 ? ", ..." : "") + ").";
    }

    private static double parse(String v) {
        if (v == null) return Double.NaN;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String valuesText(Map<String, String> values) {
        if (values == null || values.isEmpty()) return "-";
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    // ---------------------------------------------------------------- page

    static String page(Sweep sweep) throws IOException {
        List<Plots.Plot> plots = plots(sweep);
        JsonNode spec = sweep.spec();
        String scheduler = spec.path("scheduler").asText("random");
        String title = sweep.name() + " · " + scheduler + " sweep";
        String direction = (sweep.maximize() ? "higher" : "lower") + " is better";
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>")
                .append(Html.escape(title)).append(" · MetaSpark sweep report</title>\n<style>").append(Html.CSS).append(CSS)
                .append("</style></head>\n<body><main>\n<h1>").append(Html.escape(title + " · " + sweep.metric() + " (" + direction + ")"))
                .append("</h1>\n<p class=\"sub\">").append(Html.escape(subtitle(sweep))).append("</p>\n")
                .append("<div class=\"result\">").append(Html.escape(result(sweep))).append("</div>\n<h2>Plots</h2>\n")
                .append("<p class=\"note\">").append(Html.escape(plotsNote(sweep, plots))).append("</p>\n<div class=\"plots\">\n");
        for (Plots.Plot p : plots) h.append(Html.figure(p));
        h.append("</div>\n<h2>Trials (trials.jsonl)</h2>\n<p class=\"note\">")
                .append(Html.escape("One row per trial and rung: the highest rung first, best first within a rung ("
                        + direction + "); the best trial highlighted.")).append("</p>\n")
                .append(table(sweep)).append("<h2>Sweep file (sweep.yaml)</h2>\n<pre>").append(Html.escape(sweep.specText()))
                .append("</pre>\n</main></body></html>\n");
        return h.toString();
    }

    private static String subtitle(Sweep sweep) {
        JsonNode spec = sweep.spec();
        List<Row> rows = sweep.rows();
        long trials = rows.stream().mapToInt(Row::trial).distinct().count();
        long failed = rows.stream().filter(r -> !r.done()).count();
        String budgets = sweep.rungs().stream().map(rung -> Integer.toString(rows.stream().filter(r -> r.rung() == rung)
                .mapToInt(Row::budget).max().orElse(0))).collect(Collectors.joining(" → "));
        double wall = rows.stream().mapToDouble(Row::wallSeconds).filter(Double::isFinite).sum();
        StringBuilder s = new StringBuilder("base ").append(spec.path("base").asText("?")).append(" · ").append(trials).append(" trial(s), ")
                .append(rows.size()).append(" row(s), ").append(failed).append(" failed · budgets ").append(budgets.isEmpty() ? "-" : budgets)
                .append(" meta-steps");
        if (spec.has("eta")) s.append(" (eta ").append(spec.get("eta").asText()).append(')');
        if (sweep.decisions() >= 0) s.append(" · ").append(sweep.decisions()).append(" ASHA decision(s)");
        if (spec.has("seed")) s.append(" · seed ").append(spec.get("seed").asText());
        return s.append(" · trial wall time ").append(Html.number(Math.round(wall))).append(" s · ").append(sweep.location()).toString();
    }

    private static String result(Sweep sweep) {
        Row best = sweep.best();
        if (best == null) return "no trial has a result yet (every row failed, or none recorded)";
        return (sweep.bestComment() != null ? "best trial: " : "best so far (no best.yaml yet): ") + best.name() + " ("
                + valuesText(best.values()) + "): " + sweep.metric() + " " + Html.number(best.mean()) + " ± " + Html.number(best.ci95())
                + " (95% CI) at " + best.budget() + " meta-steps, rung " + best.rung()
                + (sweep.bestComment() != null ? " · its recipe: best.yaml" : "");
    }

    private static String plotsNote(Sweep sweep, List<Plots.Plot> plots) {
        if (sweep.rows().stream().noneMatch(Row::done)) return "No trial has a result to plot yet.";
        boolean rungs = sweep.rows().stream().anyMatch(r -> r.rung() >= 1);
        return "One plot per swept key (" + String.join(", ", sweep.keys()) + ")"
                + (rungs ? ", then the rungs of the promoted trials." : "; no trial reached rung 1, so there is no rungs plot.");
    }

    private static String table(Sweep sweep) {
        StringBuilder t = new StringBuilder("<table class=\"trials\"><tr><th>trial</th><th>rung</th><th>budget</th><th>status</th>");
        for (String k : sweep.keys()) t.append("<th>").append(Html.escape(k)).append("</th>");
        t.append("<th>").append(Html.escape(sweep.metric())).append(" mean ± 95% CI</th><th>wall s</th><th>error</th></tr>\n");
        Row best = sweep.best();
        List<Row> rows = sweep.rows().stream().sorted(Comparator.comparingInt(Row::rung).reversed().thenComparing(sweep.ranking())).toList();
        for (Row r : rows) {
            String cls = r == best ? " class=\"best\"" : r.done() ? "" : " class=\"failed\"";
            t.append("<tr").append(cls).append("><td>").append(r.name()).append("</td><td class=\"n\">").append(r.rung())
                    .append("</td><td class=\"n\">").append(r.budget()).append("</td><td>").append(Html.escape(r.status())).append("</td>");
            for (String k : sweep.keys()) t.append("<td class=\"v\">").append(Html.escape(r.values().getOrDefault(k, ""))).append("</td>");
            String mean = Double.isFinite(r.mean()) ? Html.number(r.mean()) + " ± " + Html.number(r.ci95()) : "–";
            t.append("<td class=\"n\">").append(Html.escape(mean)).append("</td><td class=\"n\">").append(Html.number(r.wallSeconds()))
                    .append("</td><td class=\"v\">").append(Html.escape(r.error() == null ? "" : r.error())).append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }
}
