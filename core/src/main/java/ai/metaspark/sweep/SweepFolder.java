package ai.metaspark.sweep;

import ai.metaspark.config.ConfigException;
import ai.metaspark.io.Files;
import ai.metaspark.io.Json;
import ai.metaspark.recipe.Recipe;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep's folder (any Hadoop path), every file written atomically (temp then rename):
 * <pre>
 * sweep.yaml          the sweep file as given        base.yaml     the base recipe, resolved
 * trials/tNNNN/       each trial's run folder (config.yaml, metrics.jsonl, checkpoints/) and its rung-R.json results
 * decisions.jsonl     ASHA's promotions, in the order made (a resumed ASHA sweep replays them)
 * trials.jsonl, trials.csv   one row per trial and rung: values, budget, status, metric mean and CI, wall time, error
 * best.yaml           the best trial's recipe, ready to train
 * </pre>
 * The rung results are the record: a resumed sweep reruns no (trial, rung) that has one.
 */
public final class SweepFolder {
    public static final String SWEEP = "sweep.yaml";
    public static final String BASE = "base.yaml";
    public static final String TRIALS_JSONL = "trials.jsonl";
    public static final String TRIALS_CSV = "trials.csv";
    public static final String BEST = "best.yaml";
    public static final String DECISIONS = "decisions.jsonl";

    private final FileSystem fs;
    private final Path root;

    private SweepFolder(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /**
     * Creates the folder of a new sweep, or reopens one when {@code resume}: a folder holding a sweep is refused
     * without {@code --resume}, and with it when the sweep file or the base recipe differs from what it was started with.
     */
    public static SweepFolder open(String location, SweepSpec spec, boolean resume) {
        FileSystem fs = Files.fileSystem(location);
        Path root = new Path(location);
        SweepFolder folder = new SweepFolder(fs, root);
        try {
            if (fs.exists(new Path(root, SWEEP))) {
                if (!resume) {
                    throw new ConfigException("output folder " + location + " already holds a sweep (sweep.yaml); pass --resume to continue it, or choose another --out");
                }
                folder.requireSame(SWEEP, spec.text(), "the sweep file");
                folder.requireSame(BASE, spec.base().yaml(), "the base recipe (with the sweep's set values)");
                return folder;
            }
            if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) throw new ConfigException("output " + location + " is a file, not a folder");
            fs.mkdirs(new Path(root, "trials"));
            Files.writeAtomically(fs, new Path(root, BASE), spec.base().yaml().getBytes(StandardCharsets.UTF_8));
            Files.writeAtomically(fs, new Path(root, SWEEP), spec.text().getBytes(StandardCharsets.UTF_8));
            return folder;
        } catch (IOException e) {
            throw new ConfigException("cannot write the sweep folder " + location + ": " + e.getMessage(), e);
        }
    }

    private void requireSame(String name, String expected, String what) throws IOException {
        if (!read(new Path(root, name)).equals(expected)) {
            throw new ConfigException("refusing to resume: " + what + " differs from " + root + "/" + name
                    + " (the sweep was started with it); use the same files, or another --out");
        }
    }

    public Path path() {
        return root;
    }

    /** The run folder of {@code trial}. */
    public String trialFolder(Trial trial) {
        return new Path(new Path(root, "trials"), trial.name()).toString();
    }

    /** The result recorded for {@code trial} at {@code rung}, or null. */
    public TrialResult result(Trial trial, int rung) {
        return new TrialFolder(trialFolder(trial)).result(rung);
    }

    /** ASHA's decisions so far, in order, as (trial, rung) pairs. */
    public List<int[]> decisions() {
        Path p = new Path(root, DECISIONS);
        List<int[]> out = new ArrayList<>();
        try {
            if (!fs.exists(p)) return out;
            for (String line : read(p).split("\n")) {
                if (line.isBlank()) continue;
                Map<?, ?> m = Json.MAPPER.readValue(line, Map.class);
                out.add(new int[]{((Number) m.get("trial")).intValue(), ((Number) m.get("rung")).intValue()});
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /** Records the decisions made so far (the whole list, atomically). */
    public void writeDecisions(List<int[]> decisions) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < decisions.size(); i++) {
            s.append(Json.line(Map.of("seq", i, "trial", decisions.get(i)[0], "rung", decisions.get(i)[1]))).append('\n');
        }
        write(DECISIONS, s.toString());
    }

    /** Rewrites trials.jsonl and trials.csv from {@code results}, ordered by rung then trial id. */
    public void writeTable(List<Trial> trials, Collection<TrialResult> results) {
        List<TrialResult> rows = results.stream().sorted(Comparator.comparingInt(TrialResult::rung).thenComparingInt(TrialResult::trial)).toList();
        StringBuilder jsonl = new StringBuilder();
        List<String> keys = trials.isEmpty() ? List.of() : new ArrayList<>(trials.get(0).values().keySet());
        StringBuilder csv = new StringBuilder("trial,rung,budget,status," + String.join(",", keys) + ",metric,mean,ci95,wall_s,error\n");
        for (TrialResult r : rows) {
            Trial t = trials.get(r.trial());
            @SuppressWarnings("unchecked")
            Map<String, Object> line = Json.MAPPER.convertValue(r, LinkedHashMap.class);
            line.put("values", t.values());
            line.put("seed", t.seed());
            jsonl.append(Json.line(reorder(line))).append('\n');
            csv.append(r.trial()).append(',').append(r.rung()).append(',').append(r.budget()).append(',').append(r.status());
            for (String k : keys) csv.append(',').append(csvField(t.values().get(k)));
            csv.append(',').append(r.metric() == null ? "" : r.metric())
                    .append(',').append(r.done() ? Double.toString(r.mean()) : "").append(',').append(r.done() ? Double.toString(r.ci95()) : "")
                    .append(',').append(String.format(Locale.ROOT, "%.3f", r.wallSeconds())).append(',').append(csvField(r.error())).append('\n');
        }
        write(TRIALS_JSONL, jsonl.toString());
        write(TRIALS_CSV, csv.toString());
    }

    private static Map<String, Object> reorder(Map<String, Object> line) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : List.of("trial", "rung", "budget", "status", "values", "seed", "metric", "mean", "ci95", "wall_s", "error")) {
            if (line.containsKey(k)) out.put(k, line.get(k));
        }
        return out;
    }

    private static String csvField(String v) {
        if (v == null) return "";
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** Writes best.yaml: the recipe of the best trial, ready for {@code metaspark train --config}. */
    public void writeBest(Trial best, TrialResult result, Recipe recipe) {
        String header = String.format(Locale.ROOT, "# the sweep's best trial: %s (%s; %s %s +- %s at %d meta-steps)%n",
                best.name(), valuesText(best), result.metric(), result.mean(), result.ci95(), result.budget());
        write(BEST, header + recipe.yaml());
    }

    static String valuesText(Trial t) {
        StringBuilder s = new StringBuilder();
        t.values().forEach((k, v) -> s.append(s.length() > 0 ? ", " : "").append(k).append('=').append(v));
        return s.toString();
    }

    private void write(String name, String text) {
        try {
            Files.writeAtomically(fs, new Path(root, name), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root + "/" + name + ": " + e.getMessage(), e);
        }
    }

    private String read(Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One trial's run folder, seen for its rung results. */
    public static final class TrialFolder {
        private final String location;

        public TrialFolder(String location) {
            this.location = location;
        }

        private Path file(int rung) {
            return new Path(location, "rung-" + rung + ".json");
        }

        /** The result recorded for {@code rung}, or null. */
        public TrialResult result(int rung) {
            FileSystem fs = Files.fileSystem(location);
            try (InputStream in = fs.open(file(rung))) {
                return Json.MAPPER.readValue(in, TrialResult.class);
            } catch (FileNotFoundException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file(rung) + ": " + e.getMessage(), e);
            }
        }

        /** Records {@code result} (atomically: a reader sees no result or the whole one). */
        public void record(TrialResult result) {
            FileSystem fs = Files.fileSystem(location);
            try {
                fs.mkdirs(new Path(location));
                Files.writeAtomically(fs, file(result.rung()), Json.pretty(result));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record the result of " + location + ": " + e.getMessage(), e);
            }
        }
    }
}
