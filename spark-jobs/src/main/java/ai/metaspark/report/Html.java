package ai.metaspark.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** report.html: one self-contained page (inline CSS, PNGs as data: URIs, no script, nothing fetched). */
final class Html {
    static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;background:#f6f7f9}
            main{max-width:1580px;margin:0 auto;padding:24px 32px 48px}h1{font-size:26px;margin:0 0 4px}
            h2{font-size:19px;margin:32px 0 12px;border-bottom:1px solid #ddd;padding-bottom:4px}.sub{color:#666;margin:0 0 16px}
            .result{display:inline-block;background:#fff;border:1px solid #dde;border-left:4px solid #3b5b92;
            padding:10px 16px;font-size:17px}.note{color:#666;font-size:13px}
            .plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(640px,1fr));gap:20px}
            figure{margin:0;background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:10px}
            figure img{width:100%;height:auto;display:block}figcaption{color:#555;font-size:13px;margin-top:6px}
            .tables{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:24px}
            table{border-collapse:collapse;background:#fff;width:100%;font-size:14px}
            th,td{text-align:left;padding:5px 10px;border-bottom:1px solid #eee;vertical-align:top}th{background:#eef1f5}
            td:first-child{font-family:ui-monospace,monospace;white-space:nowrap}
            td.v{font-family:ui-monospace,monospace;word-break:break-word}tr:nth-child(even) td{background:#fafbfc}
            """;


    private Html() {
    }

    /** The whole page for {@code run}, read from {@code location}, with {@code plots}. */
    static String page(RunFiles run, String location, List<Plots.Plot> plots) {
        String algorithm = run.evalText("algorithm", run.config().path("algorithm").asText("run"));
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>")
                .append(escape(run.name() + " · " + algorithm)).append(" · MetaSpark run report</title>\n<style>")
                .append(CSS).append("</style></head>\n<body><main>\n<h1>").append(escape(run.name() + " · " + algorithm)).append("</h1>\n")
                .append("<p class=\"sub\">").append(escape(subtitle(run, location))).append("</p>\n")
                .append("<div class=\"result\">").append(escape(result(run))).append("</div>\n<h2>Plots</h2>\n");
        h.append("<p class=\"note\">").append(escape(metricsNote(run))).append("</p>\n<div class=\"plots\">\n");
        for (Plots.Plot p : plots) h.append(figure(p));
        h.append("</div>\n<div class=\"tables\">\n<section><h2>Final metrics (eval.json)</h2>\n").append(table(run.eval().fields()))
                .append("</section>\n<section><h2>Configuration (config.yaml)</h2>\n").append(table(run.config().fields()))
                .append("</section>\n</div>\n</main></body></html>\n");
        return h.toString();
    }

    /** A plot as a figure: the PNG inline, its caption below. */
    static String figure(Plots.Plot p) {
        return "<figure><img alt=\"" + escape(p.title()) + "\" width=\"" + Plots.WIDTH + "\" height=\"" + Plots.HEIGHT
                + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(p.png()) + "\"><figcaption>"
                + escape(p.caption()) + "</figcaption></figure>\n";
    }

    /** A number for people: "NaN", "Infinity", integers as such, else 4 significant digits. */
    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Infinity" : "-Infinity";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e7) return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        return String.format(Locale.ROOT, "%.3e", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String subtitle(RunFiles run, String location) {
        return "task " + run.config().path("task").asText("?") + " · " + run.evalText("steps", "?") + " meta-steps · trained in "
                + number(RunFiles.number(run.eval(), "train_seconds")) + " s · " + location;
    }

    private static String result(RunFiles run) {
        return "meta-test " + run.evalText("metric", "metric") + " after " + run.evalText("eval_inner_steps", "?") + " inner step(s): "
                + number(RunFiles.number(run.eval(), "mean")) + " ± " + number(RunFiles.number(run.eval(), "ci95"))
                + " (95% CI, " + run.evalText("tasks", "?") + " unseen tasks)";
    }

    private static String metricsNote(RunFiles run) {
        String note = run.metrics().isEmpty() ? "metrics.jsonl has no training or validation lines, so only the meta-test is plotted."
                : "metrics.jsonl: " + run.metrics().size() + " training and validation lines plotted; non-finite values left out.";
        if (run.skipped().isEmpty()) return note;
        return note + " Not plotted: " + run.skipped().entrySet().stream()
                .map(e -> e.getValue() + " line(s) " + e.getKey()).collect(Collectors.joining(", ")) + ".";
    }

    private static String table(Iterator<Map.Entry<String, JsonNode>> fields) {
        StringBuilder t = new StringBuilder("<table><tr><th>key</th><th>value</th></tr>\n");
        fields.forEachRemaining(f -> t.append("<tr><td>").append(escape(f.getKey())).append("</td><td class=\"v\">")
                .append(escape(value(f.getValue()))).append("</td></tr>\n"));
        return t.append("</table>\n").toString();
    }

    /** A config or eval value as written in its file (numbers exactly; lists as [a, b]). */
    private static String value(JsonNode v) {
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(value(i)));
            return "[" + String.join(", ", items) + "]";
        }
        return v.isContainerNode() ? v.toString() : v.asText();
    }
}
