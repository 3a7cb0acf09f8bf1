package ai.metaspark.report;

import ai.metaspark.config.Keys;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/** The report's plots, drawn headless with XChart: each one only when its data is present, non-finite points left out. */
final class Plots {
    static final int WIDTH = 760;
    static final int HEIGHT = 420;
    /** The most curves a legend names. */
    static final int LEGEND_MAX = 10;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** One plot: a title, a sentence saying what it shows, and the PNG. */
    record Plot(String title, String caption, byte[] png) {
    }

    /** A named series of finite (x, y) points: a line, or markers only (with optional error bars). */
    record Curve(String label, double[] x, double[] y, double[] err, boolean line) {
        static Curve of(String label, List<ObjectNode> lines, String field, DoubleUnaryOperator f) {
            List<double[]> points = new ArrayList<>();
            for (ObjectNode l : lines) points.add(new double[]{RunFiles.number(l, "step"), f.applyAsDouble(RunFiles.number(l, field))});
            return of(label, points, true);
        }

        /** The finite points of {@code points} ({x, y} or {x, y, error}). */
        static Curve of(String label, List<double[]> points, boolean line) {
            List<double[]> ok = points.stream().filter(p -> java.util.Arrays.stream(p).allMatch(Double::isFinite)).toList();
            boolean errors = !ok.isEmpty() && ok.get(0).length > 2;
            return new Curve(label, column(ok, 0), column(ok, 1), errors ? column(ok, 2) : null, line);
        }

        Curve markers() {
            return new Curve(label, x, y, err, false);
        }

        private static double[] column(List<double[]> points, int i) {
            return points.stream().mapToDouble(p -> p[i]).toArray();
        }
    }

    /**
     * A plot's x axis: its title, and linear from 0 (steps), linear fitted to the data, logarithmic, or named categories
     * drawn at x = 0, 1, ... ({@code categories} non-empty).
     */
    record XAxis(String title, boolean fromZero, boolean log, List<String> categories) {
        static XAxis steps(String title) {
            return new XAxis(title, true, false, List.of());
        }
    }

    private Plots() {
    }

    /** Every plot the run's files have data for, in reading order. */
    static List<Plot> of(RunFiles run) throws IOException {
        List<ObjectNode> m = run.metrics();
        List<ObjectNode> best = m.stream().filter(l -> l.path("best").asBoolean(false)).toList();
        double batch = run.config().path(Keys.META_BATCH.name()).asDouble(Keys.META_BATCH.defaultValue());
        List<Plot> plots = new ArrayList<>();
        add(plots, "Meta-train loss", "step", "loss",
                "Mean meta-train loss on the query sets over each log window, before and after the inner-loop adaptation.",
                Curve.of("before adaptation", m, "loss_pre", y -> y), Curve.of("after adaptation", m, "loss_post", y -> y));
        add(plots, "Meta-train accuracy", "step", "accuracy",
                "Mean meta-train accuracy on the query sets over each log window, before and after adaptation.",
                Curve.of("before adaptation", m, "acc_pre", y -> y), Curve.of("after adaptation", m, "acc_post", y -> y));
        add(plots, "Meta-validation loss", "step", "val_loss",
                "Mean loss after adaptation on the validation tasks; markers show the validations that improved on the best.",
                Curve.of("val_loss", m, "val_loss", y -> y), Curve.of("new best", best, "val_loss", y -> y).markers());
        add(plots, "Meta-validation accuracy", "step", "val_acc",
                "Mean accuracy after adaptation on the validation tasks.", Curve.of("val_acc", m, "val_acc", y -> y));
        add(plots, "Meta-test " + run.evalText("metric", "metric") + " after each inner step", "inner steps", run.evalText("metric", "value"),
                perStepCaption(run), perStep(run));
        add(plots, "Time per meta-step", "step", "ms",
                "1000 / steps_per_s, where steps_per_s is the mean rate since training (re)started.",
                Curve.of("ms per meta-step", m, "steps_per_s", s -> 1000 / s));
        add(plots, "Tasks per second", "step", "tasks/s",
                String.format(Locale.ROOT, "steps_per_s x meta_batch (%s tasks per meta-step).", Html.number(batch)),
                Curve.of("tasks/s", m, "steps_per_s", s -> s * batch));
        return plots;
    }

    private static Curve[] perStep(RunFiles run) {
        ObjectNode eval = run.eval();
        List<double[]> steps = new ArrayList<>();
        for (int i = 0; i < eval.path("per_step").size(); i++) steps.add(new double[]{i, RunFiles.number(eval.get("per_step").get(i))});
        double[] reported = {RunFiles.number(eval, "eval_inner_steps"), RunFiles.number(eval, "mean"), RunFiles.number(eval, "ci95")};
        return new Curve[]{Curve.of("mean over tasks", steps, true), Curve.of("reported mean, 95% CI", List.of(reported), false)};
    }

    private static String perStepCaption(RunFiles run) {
        return "Mean over " + run.evalText("tasks", "?") + " unseen tasks after 0, 1, ... inner steps. The error bar is the "
                + "95% CI of the reported mean (" + Html.number(RunFiles.number(run.eval(), "mean")) + " ± "
                + Html.number(RunFiles.number(run.eval(), "ci95")) + " after " + run.evalText("eval_inner_steps", "?") + " step(s)).";
    }

    private static void add(List<Plot> plots, String title, String x, String y, String caption, Curve... curves) throws IOException {
        Plot p = draw(title, XAxis.steps(x), y, caption, curves);
        if (p != null) plots.add(p);
    }

    /**
     * One plot of {@code curves} (the i-th in the i-th colour; a log y-axis when every value is positive and they span
     * more than a factor of 20), or null when no curve has a point. Series labels must differ. The legend goes below the
     * plot, or to its right, one entry a line, when the labels are too long for one line below; it names the first
     * {@value #LEGEND_MAX} curves with points (as many as there are colours).
     */
    static Plot draw(String title, XAxis x, String y, String caption, Curve... curves) throws IOException {
        if (java.util.Arrays.stream(curves).allMatch(c -> c.x().length == 0)) return null;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x.title()).yAxisTitle(y).build();
        style(chart.getStyler(), logScale(curves), x);
        int legendWidth = java.util.Arrays.stream(curves).filter(c -> c.x().length > 0).limit(LEGEND_MAX)
                .mapToInt(c -> 40 + 7 * c.label().length()).sum();
        if (legendWidth > WIDTH - 40) {
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setLegendLayout(Styler.LegendLayout.Vertical);
        }
        int shown = 0;
        for (int i = 0; i < curves.length; i++) {
            Curve c = curves[i];
            if (c.x().length == 0) continue;
            XYSeries s = chart.addSeries(c.label(), c.x(), c.y(), c.err());
            s.setShowInLegend(shown++ < LEGEND_MAX);
            s.setLineColor(COLORS[i % COLORS.length]).setLineWidth(2f);
            s.setMarkerColor(COLORS[i % COLORS.length]).setMarker(c.err() != null ? SeriesMarkers.DIAMOND
                    : c.x().length <= 30 || !c.line() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            if (!c.line()) s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        return new Plot(title, caption, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static void style(org.knowm.xchart.style.XYStyler s, boolean log, XAxis x) {
        s.setChartBackgroundColor(Color.WHITE).setPlotBorderVisible(false).setMarkerSize(7)
                .setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 16));
        s.setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal)
                .setLegendBorderColor(new Color(0xdddddd));
        s.setPlotGridLinesColor(new Color(0xe5e5e5)).setYAxisLogarithmic(log).setErrorBarsColorSeriesColor(true);
        if (!x.categories().isEmpty()) {
            // Category i at x = i, named there; other ticks (halfway, the grid lines between categories) are blank. XChart
            // draws no ticks at all when the axis' two ends format alike, so they are blanks of different widths.
            List<String> names = x.categories();
            double max = names.size() - 0.5;
            s.setXAxisMin(-0.5).setXAxisMax(max).setXAxisTickMarkSpacingHint(Math.max(30, (WIDTH - 120) / (names.size() + 1)));
            s.setXAxisTickLabelsFormattingFunction(v -> {
                long i = Math.round(v);
                if (Math.abs(v - i) < 1e-6 && i >= 0 && i < names.size()) return names.get((int) i);
                return v >= max - 1e-6 ? "  " : " ";
            });
        } else if (x.log()) {
            s.setXAxisLogarithmic(true).setXAxisTickLabelsFormattingFunction(Plots::compact);
        } else {
            if (x.fromZero()) s.setXAxisMin(0.0);
            s.setXAxisTickMarkSpacingHint(150).setXAxisTickLabelsFormattingFunction(Plots::compact);
        }
    }

    /** An axis label: 900, 1.5k, 70k, 1.2M. */
    private static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) return Html.number(v / 1e6) + "M";
        return a >= 1e3 ? Html.number(v / 1e3) + "k" : Html.number(v);
    }

    /** A log y-axis when every value (error bars included) is positive and they span more than a factor of 20. */
    private static boolean logScale(Curve... curves) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Curve c : curves) {
            for (int i = 0; i < c.y().length; i++) {
                double e = c.err() == null ? 0 : c.err()[i];
                min = Math.min(min, c.y()[i] - e);
                max = Math.max(max, c.y()[i] + e);
            }
        }
        return min > 0 && max / min > 20;
    }
}
