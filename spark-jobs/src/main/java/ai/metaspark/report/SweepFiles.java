package ai.metaspark.report;

import ai.metaspark.config.ConfigException;
import ai.metaspark.io.Files;
import ai.metaspark.sweep.SweepFolder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@link SweepReport} reads of a sweep folder (laid out as {@link SweepFolder} says): sweep.yaml, trials.jsonl
 * and, when present, best.yaml's first-line comment and the count of decisions.jsonl, through the Hadoop FileSystem
 * API. A missing or malformed file is a {@link ConfigException} naming it. The sweep's twin of {@link RunFiles}.
 */
final class SweepFiles {
    static final String SWEEP = SweepFolder.SWEEP;
    static final String TRIALS = SweepFolder.TRIALS_JSONL;
    static final String BEST = SweepFolder.BEST;
    static final String DECISIONS = SweepFolder.DECISIONS;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    /** best.yaml's first line: "# the sweep's best trial: t0010 (...)", earlier "# the best trial of the sweep in DIR: t0010 (...)". */
    private static final Pattern BEST_TRIAL = Pattern.compile("best trial(?: of the sweep in .*?)?: (t\\d+)\\b");

    /** One line of trials.jsonl; {@code mean} and {@code ci95} are NaN when absent, null or "NaN". */
    record Row(int trial, int rung, int budget, String status, Map<String, String> values, String metric, double mean,
               double ci95, double wallSeconds, String error) {
        boolean done() {
            return "done".equals(status) && Double.isFinite(mean);
        }

        String name() {
            return String.format("t%04d", trial);
        }
    }

    /** What the report reads of a sweep folder. */
    record Sweep(String name, String location, String specText, JsonNode spec, List<String> keys, List<Row> rows,
                 String bestComment, int decisions) {
        boolean maximize() {
            String direction = spec.path("direction").asText("auto");
            if (!direction.equals("auto")) return direction.equals("max");
            return rows.stream().anyMatch(r -> r.done() && "accuracy".equals(r.metric()));
        }

        /** "validation mse", "test accuracy": the split of sweep.yaml and the metric of the done rows. */
        String metric() {
            Set<String> metrics = rows.stream().filter(Row::done).map(Row::metric).filter(m -> m != null)
                    .collect(Collectors.toCollection(TreeSet::new));
            return spec.path("metric").asText("validation") + " " + (metrics.isEmpty() ? "metric" : String.join("/", metrics));
        }

        /** Better first: done rows before failed ones, then by the metric in its direction, then by trial id. */
        Comparator<Row> ranking() {
            boolean max = maximize();
            return Comparator.comparing((Row r) -> !r.done()).thenComparingDouble(r -> max ? -r.mean() : r.mean())
                    .thenComparingInt(Row::trial);
        }

        /** The best trial's row at its highest rung: the trial best.yaml names, else the best of the highest rung. */
        Row best() {
            if (bestComment != null) {
                Matcher m = BEST_TRIAL.matcher(bestComment);
                if (m.find()) {
                    Row named = rows.stream().filter(r -> r.name().equals(m.group(1)) && r.done())
                            .max(Comparator.comparingInt(Row::rung)).orElse(null);
                    if (named != null) return named;
                }
            }
            return rows.stream().filter(Row::done).max(Comparator.comparingInt(Row::rung).thenComparing(ranking().reversed()))
                    .orElse(null);
        }

        List<Integer> rungs() {
            return rows.stream().map(Row::rung).distinct().sorted().toList();
        }
    }


    /** Reads a sweep folder; a missing folder or file, or a malformed one, is a {@link ConfigException} naming it. */
    static Sweep read(String location) {
        FileSystem fs = Files.fileSystem(location);
        Path root = new Path(location);
        try {
            if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
                throw new ConfigException("sweep folder not found: " + location + " (expected a folder written by bin/metaspark sweep)");
            }
            String specText = text(fs, root, SWEEP, location);
            JsonNode spec;
            try {
                spec = new YAMLMapper().readTree(specText);
            } catch (JsonProcessingException e) {
                throw new ConfigException("sweep folder " + location + ": " + SWEEP + " is malformed: " + oneLine(e.getOriginalMessage()), e);
            }
            if (!(spec instanceof ObjectNode)) {
                throw new ConfigException("sweep folder " + location + ": " + SWEEP + " is not a YAML mapping (found "
                        + (spec == null ? "nothing" : spec.getNodeType()) + ")");
            }
            List<Row> rows = rows(text(fs, root, TRIALS, location), location);
            String best = fs.exists(new Path(root, BEST)) ? text(fs, root, BEST, location).lines().findFirst().orElse("") : "";
            int decisions = fs.exists(new Path(root, DECISIONS))
                    ? (int) text(fs, root, DECISIONS, location).lines().filter(l -> !l.isBlank()).count() : -1;
            String name = root.getName().isEmpty() ? location : root.getName();
            return new Sweep(name, location, specText, spec, keys(spec, rows), rows, best.startsWith("#") ? best : null, decisions);
        } catch (IOException e) {
            throw new ConfigException("cannot read sweep folder " + location + ": " + oneLine(e.getMessage()), e);
        }
    }

    private static List<Row> rows(String text, String location) {
        List<Row> rows = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            String where = "sweep folder " + location + ": " + TRIALS + " line " + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw new ConfigException(where + " is malformed: " + oneLine(e.getOriginalMessage()), e);
            }
            if (n == null || !n.isObject() || !n.path("trial").isIntegralNumber() || !n.path("rung").isIntegralNumber()) {
                throw new ConfigException(where + " is not a trial row (expected an object with integer trial and rung)");
            }
            Map<String, String> values = new LinkedHashMap<>();
            n.path("values").fields().forEachRemaining(f -> values.put(f.getKey(), value(f.getValue())));
            rows.add(new Row(n.get("trial").asInt(), n.get("rung").asInt(), n.path("budget").asInt(0), n.path("status").asText("?"),
                    values, textOrNull(n.get("metric")), RunFiles.number(n, "mean"), RunFiles.number(n, "ci95"),
                    RunFiles.number(n, "wall_s"), textOrNull(n.get("error"))));
        }
        return rows;
    }

    /** The swept keys: sweep.yaml's space in file order, then any other key the rows have. */
    private static List<String> keys(JsonNode spec, List<Row> rows) {
        Set<String> keys = new LinkedHashSet<>();
        spec.path("space").fieldNames().forEachRemaining(keys::add);
        rows.forEach(r -> keys.addAll(r.values().keySet()));
        return new ArrayList<>(keys);
    }

    private static String text(FileSystem fs, Path root, String file, String location) throws IOException {
        try (InputStream in = fs.open(new Path(root, file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            throw new ConfigException("sweep folder " + location + " has no " + file + " (expected a folder written by bin/metaspark sweep"
                    + (file.equals(TRIALS) ? ", with at least one trial result recorded)" : ")"));
        }
    }

    /** A value as trials.jsonl or sweep.yaml writes it; a list as "a,b" (how a sweep writes list values). */
    static String value(JsonNode v) {
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(value(i)));
            return String.join(",", items);
        }
        return v.isContainerNode() ? v.toString() : v.asText();
    }

    private static String textOrNull(JsonNode v) {
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private SweepFiles() {
    }
}
