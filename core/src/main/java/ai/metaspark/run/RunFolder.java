package ai.metaspark.run;

import ai.metaspark.config.ConfigException;
import ai.metaspark.eval.EvalResult;
import ai.metaspark.io.Files;
import ai.metaspark.io.Json;
import ai.metaspark.io.Vectors;
import ai.metaspark.model.Dl4jModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TrainState;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A run folder on any Hadoop FileSystem ({@code file://}, {@code hdfs://}, {@code s3a://}):
 * {@code config.yaml}, {@code metrics.jsonl}, {@code eval.json}, {@code checkpoints/}, {@code model.zip} and
 * {@code meta-params.bin} (the full meta-parameter vector, e.g. with Meta-SGD's learning rates). Every file except
 * the metrics log is written atomically.
 */
public final class RunFolder implements RunLog, Closeable {
    public static final String CONFIG = "config.yaml";
    public static final String EVAL = "eval.json";
    public static final String META_PARAMS = "meta-params.bin";
    private final FileSystem fs;
    private final Path root;
    private final Recipe recipe;
    private final int keepCheckpoints;
    private FSDataOutputStream metrics;

    private RunFolder(FileSystem fs, Path root, Recipe recipe, int keepCheckpoints) {
        this.fs = fs;
        this.root = root;
        this.recipe = recipe;
        this.keepCheckpoints = keepCheckpoints;
    }

    /**
     * Creates a new run folder for {@code recipe} and writes config.yaml; refuses a folder that already holds a run.
     * Checkpoints beyond the newest {@code keepCheckpoints} are deleted.
     */
    public static RunFolder create(String location, Recipe recipe, int keepCheckpoints) {
        FileSystem fs = Files.fileSystem(location);
        Path root = new Path(location);
        try {
            if (fs.exists(new Path(root, CONFIG))) {
                throw new ConfigException("output folder " + location + " already holds a run (config.yaml); choose another --out");
            }
            if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
                throw new ConfigException("output " + location + " is a file, not a folder");
            }
            boolean existed = fs.exists(root);
            if (!fs.mkdirs(root)) throw new IOException("mkdirs returned false");
            RunFolder run = new RunFolder(fs, root, recipe, keepCheckpoints);
            try {
                Files.writeAtomically(fs, new Path(root, CONFIG), recipe.yaml().getBytes(StandardCharsets.UTF_8));
                run.metrics = fs.create(new Path(root, "metrics.jsonl"), true);
            } catch (IOException e) {
                if (!existed) fs.delete(root, true);
                throw e;
            }
            return run;
        } catch (IOException e) {
            throw new ConfigException("cannot write the output folder " + location + ": " + e.getMessage(), e);
        }
    }

    /** What an output folder holds. */
    public enum Status { EMPTY, UNFINISHED, FINISHED }

    /** Whether {@code location} holds no run, an unfinished one (config.yaml only) or a finished one (eval.json). */
    public static Status status(String location) {
        FileSystem fs = Files.fileSystem(location);
        Path root = new Path(location);
        try {
            if (fs.exists(new Path(root, EVAL))) return Status.FINISHED;
            return fs.exists(new Path(root, CONFIG)) ? Status.UNFINISHED : Status.EMPTY;
        } catch (IOException e) {
            throw new ConfigException("cannot read the output folder " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reopens an unfinished run to continue it with {@code recipe}: refuses a folder trained with different results-
     * relevant settings ({@link #resumeState} then restarts the metrics at the checkpoint's step).
     */
    public static RunFolder reopen(String location, Recipe recipe, int keepCheckpoints) {
        Recipe stored = Recipe.read(location + "/" + CONFIG, List.of());
        requireSame(location + "/" + CONFIG, stored, recipe);
        return new RunFolder(Files.fileSystem(location), new Path(location), recipe, keepCheckpoints);
    }

    private static void requireSame(String where, Recipe stored, Recipe given) {
        List<String> diff = given.resultDifferences(stored);
        if (!diff.isEmpty()) {
            throw new ConfigException("refusing to resume: " + where + " was written with a different configuration ("
                    + String.join("; ", diff) + ", given vs stored); use the same recipe and --set values, or another --out");
        }
    }

    /**
     * The state of the newest readable checkpoint (null when there is none), and restarts metrics.jsonl at its step.
     * A corrupt newest checkpoint is refused, unless {@code fallback}: then it is renamed {@code corrupt-step-N}
     * (kept for inspection) and the previous one is used.
     */
    public TrainState resumeState(boolean fallback, PrintStream console) throws IOException {
        Path dir = new Path(root, "checkpoints");
        List<Path> all = Checkpoints.list(fs, dir);
        TrainState state = null;
        for (int i = all.size() - 1; i >= 0 && state == null; i--) {
            state = readCheckpoint(all.get(i), fallback, console);
        }
        restartMetrics(state == null ? 0 : state.step());
        return state;
    }

    private TrainState readCheckpoint(Path cp, boolean fallback, PrintStream console) throws IOException {
        Recipe written;
        TrainState state;
        try {
            written = Recipe.fromMap(Checkpoints.config(fs, cp));
            state = Checkpoints.read(fs, cp);
        } catch (IOException | RuntimeException e) {
            if (!fallback) {
                throw new ConfigException("refusing to resume: checkpoint " + cp + " cannot be read (" + e.getMessage()
                        + "); it is left as it is. Pass --fallback-checkpoint to resume from the previous checkpoint", e);
            }
            Path kept = new Path(cp.getParent(), "corrupt-" + cp.getName());
            fs.rename(cp, kept);
            console.println("checkpoint " + cp + " cannot be read (" + e.getMessage() + "); kept as " + kept + ", trying the previous one");
            return null;
        }
        requireSame(cp + "/checkpoint.json", written, recipe);
        return state;
    }

    /** Keeps the metrics lines up to {@code step} (a backup copy guards them while the log is rewritten). */
    private void restartMetrics(int step) throws IOException {
        Path log = new Path(root, "metrics.jsonl");
        Path backup = new Path(root, "metrics.jsonl.resume");
        Path source = fs.exists(backup) ? backup : log; // a backup left by an interrupted resume is the whole log
        StringBuilder kept = new StringBuilder();
        if (fs.exists(source)) {
            String text;
            try (InputStream in = fs.open(source)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String line : text.split("\n")) {
                if (!line.isBlank() && lineStep(line) <= step) kept.append(line).append('\n');
            }
        }
        byte[] bytes = kept.toString().getBytes(StandardCharsets.UTF_8);
        Files.writeAtomically(fs, backup, bytes);
        fs.delete(log, false); // HDFS: a killed driver's lease on the old log would block an overwrite for a minute
        metrics = fs.create(log, true);
        metrics.write(bytes);
        metrics.hflush();
        fs.delete(backup, false);
    }

    private static long lineStep(String line) {
        try {
            Object step = Json.MAPPER.readValue(line, Map.class).get("step");
            return step instanceof Number n ? n.longValue() : Long.MAX_VALUE;
        } catch (IOException e) {
            return Long.MAX_VALUE; // a torn last line of a killed driver
        }
    }

    /** Opens a finished run for reading (evaluate). */
    public static RunFolder open(String location, List<String> overrides) {
        Recipe recipe = Recipe.read(location + "/" + CONFIG, overrides);
        return new RunFolder(Files.fileSystem(location), new Path(location), recipe, 0);
    }

    /** The recipe of the run. */
    public Recipe recipe() {
        return recipe;
    }

    public Path path() {
        return root;
    }

    @Override
    public void metrics(Map<String, Object> line) {
        if (metrics == null) throw new IllegalStateException("run folder " + root + " is open for reading only");
        try {
            metrics.write((Json.line(line) + "\n").getBytes(StandardCharsets.UTF_8));
            metrics.hflush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + root + "/metrics.jsonl", e);
        }
    }

    @Override
    public void checkpoint(TrainState state) {
        try {
            Checkpoints.write(fs, new Path(root, "checkpoints"), state, recipe.asMap(), Provenance.current(recipe.dataLocation()),
                    keepCheckpoints);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of step " + state.step() + " under " + root
                    + "/checkpoints: " + e.getMessage() + "; the checkpoints before it are kept", e);
        }
    }

    /**
     * Writes the final results, each atomically: meta-params.bin (the whole meta-vector, learned rates included),
     * model.zip (the trained network as a DL4J network) and eval.json.
     */
    public void writeResults(MultiLayerNetwork model, double[] meta, EvalResult eval, Map<String, Object> extra) throws IOException {
        writeMeta(meta);
        writeModel(model);
        writeEval(EVAL, eval, extra);
    }

    /** Writes an evaluation (plus extra fields) to a file of the run folder, atomically. */
    public void writeEval(String name, EvalResult eval, Map<String, Object> extra) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = Json.MAPPER.convertValue(eval, java.util.LinkedHashMap.class);
        json.putAll(extra);
        Path target = new Path(root, name);
        fs.mkdirs(target.getParent());
        Files.writeAtomically(fs, target, Json.pretty(json));
    }

    private void writeModel(MultiLayerNetwork model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Dl4jModels.save(model, bytes);
        Files.writeAtomically(fs, new Path(root, "model.zip"), bytes.toByteArray());
    }

    private void writeMeta(double[] meta) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Vectors.write(out, meta);
        }
        Files.writeAtomically(fs, new Path(root, META_PARAMS), bytes.toByteArray());
    }

    /**
     * The parameters of the run's checkpoint of {@code step} (the transfer baseline: of epoch {@code step}), to meta-test
     * a point on the way; refuses a step without a checkpoint, listing those kept.
     */
    public double[] checkpointMeta(int step) {
        Path dir = new Path(root, "checkpoints");
        try {
            Path cp = new Path(dir, Checkpoints.name(step));
            if (!fs.exists(cp)) {
                List<String> kept = Checkpoints.list(fs, dir).stream().map(Path::getName).toList();
                throw new ConfigException("run folder " + root + " has no checkpoint of step " + step + " (kept: "
                        + (kept.isEmpty() ? "none" : String.join(", ", kept)) + ")");
            }
            return Checkpoints.read(fs, cp).meta();
        } catch (IOException e) {
            throw new ConfigException("cannot read the checkpoint of step " + step + " under " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The meta-parameters a finished run saved. */
    public double[] readMeta() {
        try (DataInputStream in = new DataInputStream(fs.open(new Path(root, META_PARAMS)))) {
            return Vectors.read(in);
        } catch (IOException e) {
            throw new ConfigException("run folder " + root + " has no readable " + META_PARAMS + " (did training finish?)", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (metrics != null) metrics.close();
    }
}
