package ai.metaspark.report;

import ai.metaspark.config.ConfigException;
import ai.metaspark.io.Files;
import ai.metaspark.run.RunFolder;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The three files of a run folder that the report shows, read through the Hadoop FileSystem API.
 *
 * @param name    the run folder's name (its last path element)
 * @param config  config.yaml, every key in file order (also keys this version does not know)
 * @param metrics the metrics.jsonl lines without a {@code kind} field (training and validation lines)
 * @param skipped lines not plotted, by reason: a {@code kind} ("kind stage") or "unreadable"
 * @param eval    eval.json, every field in file order
 */
record RunFiles(String name, ObjectNode config, List<ObjectNode> metrics, Map<String, Integer> skipped, ObjectNode eval) {
    static final String METRICS = "metrics.jsonl";
    /** Reads NaN and Infinity whether written as numbers or as strings. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** Reads a run folder; a missing folder or file is a {@link ConfigException} naming it. */
    static RunFiles read(String location) {
        FileSystem fs = Files.fileSystem(location);
        Path root = new Path(location);
        try {
            if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
                throw new ConfigException("run folder not found: " + location + " (expected a folder written by train)");
            }
            ObjectNode config = object(new YAMLMapper().readTree(text(fs, root, RunFolder.CONFIG)), RunFolder.CONFIG);
            ObjectNode eval = object(JSON.readTree(text(fs, root, RunFolder.EVAL)), RunFolder.EVAL);
            if (!eval.has("eval_inner_steps") && eval.has("post_step")) eval.set("eval_inner_steps", eval.get("post_step")); // older runs
            List<ObjectNode> metrics = new ArrayList<>();
            Map<String, Integer> skipped = new TreeMap<>();
            for (String line : text(fs, root, METRICS).split("\n")) {
                if (!line.isBlank()) addLine(line, metrics, skipped);
            }
            return new RunFiles(root.getName(), config, metrics, skipped, eval);
        } catch (JsonProcessingException e) {
            throw new ConfigException("run folder " + location + " has a malformed file: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read run folder " + location + ": " + e.getMessage(), e);
        }
    }

    /** A number field of a JSON object: NaN when absent or not a number; "NaN" and "Infinity" strings are read. */
    static double number(JsonNode node, String field) {
        return number(node.get(field));
    }

    /** A JSON value as a number: NaN when absent or not a number; "NaN" and "Infinity" strings are read. */
    static double number(JsonNode v) {
        if (v == null) return Double.NaN;
        if (v.isNumber()) return v.doubleValue();
        return switch (v.asText()) {
            case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }

    /** A text field of eval.json, or {@code fallback}. */
    String evalText(String field, String fallback) {
        JsonNode v = eval.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static void addLine(String line, List<ObjectNode> metrics, Map<String, Integer> skipped) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            node = null;        // e.g. the last line of a run killed while writing it
        }
        if (node == null || !node.isObject()) {
            skipped.merge("unreadable", 1, Integer::sum);
        } else if (node.has("kind")) {
            skipped.merge("kind " + node.get("kind").asText(), 1, Integer::sum);
        } else {
            metrics.add((ObjectNode) node);
        }
    }

    private static String text(FileSystem fs, Path root, String file) throws IOException {
        try (InputStream in = fs.open(new Path(root, file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            throw new ConfigException("run folder " + root + " has no " + file + " (did training finish?)");
        }
    }

    private static ObjectNode object(JsonNode node, String file) {
        if (node instanceof ObjectNode o) return o;
        throw new ConfigException(file + " is not a map of fields (found " + (node == null ? "nothing" : node.getNodeType()) + ")");
    }
}
