package ai.metaspark.cli;

import ai.metaspark.recipe.Recipe;
import ai.metaspark.run.RunFolder;
import ai.metaspark.model.MlpLearner;
import ai.metaspark.train.Experiment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/metaspark's commands, run in-process: the run folder they write and how they refuse bad input. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path recipe;
    static Path run;

    @BeforeAll
    static void trainOnce() throws IOException {
        recipe = tmp.resolve("recipe.yaml");
        Files.writeString(recipe, "algorithm: metasgd\nmeta_steps: 30\nmeta_batch: 5\nseed: 3\neval_tasks: 20\n");
        run = tmp.resolve("run");
        Result r = cli("train", "--config", recipe.toString(), "--out", run.toString(),
                "--set", "val_every=10", "--set", "checkpoint_every=10", "--set", "keep_checkpoints=2", "--set", "hidden=12,12");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("step 30/30"), "progress line: " + r.out);
    }

    @Test
    void trainWritesACompleteRunFolder() throws IOException {
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("algorithm: metasgd") && config.contains("outer_optimizer: adam"), config);
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertTrue(metrics.stream().anyMatch(l -> l.contains("\"val_loss\"")), "validation lines");
        JsonNode stage = JSON.readTree(metrics.stream().filter(l -> l.contains("\"kind\":\"stage\"")).findFirst().orElseThrow());
        assertTrue(stage.get("stages").asInt() >= 10 && stage.get("tasks").asInt() >= stage.get("stages").asInt(),
                "Spark listener line: " + stage);
        assertEquals(30, JSON.readTree(metrics.get(metrics.size() - 1)).get("step").asInt());
        JsonNode eval = JSON.readTree(run.resolve("eval.json").toFile());
        assertEquals("mse", eval.get("metric").asText());
        assertEquals(20, eval.get("tasks").asInt());
        assertEquals(11, eval.get("per_step").size());
        assertTrue(eval.get("ci95").asDouble() > 0 && eval.get("adapt_ms_mean").asDouble() > 0);
        assertTrue(eval.get("per_step").get(1).asDouble() < eval.get("per_step").get(0).asDouble(), "adaptation helps");
        try (var cps = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of("step-000000020", "step-000000030"), cps.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void modelZipLoadsInDl4jAndPredictsLikeTheTrainedParameters() throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile());
        RunFolder folder = RunFolder.open(run.toString(), List.of());
        Experiment e = folder.recipe().experiment();
        double[] meta = folder.readMeta();
        assertEquals(2 * e.network().numParams(), meta.length, "Meta-SGD saves weights and learning rates");
        var task = e.heldOutTask(e.sampler().spec(ai.metaspark.task.Split.TEST, 0, 0));
        double[] expected = new MlpLearner((ai.metaspark.model.MlpModel) e.network()).predict(meta, task.query());
        double[] got = net.output(Nd4j.createFromArray(task.query().x()).reshape(task.query().n(), 1).castTo(DataType.FLOAT))
                .castTo(DataType.DOUBLE).reshape(task.query().n()).toDoubleVector();
        assertArrayEquals(expected, got, 1e-4);
    }

    @Test
    void evaluateWritesANewFileAndKeepsEvalJson() throws IOException {
        byte[] before = Files.readAllBytes(run.resolve("eval.json"));
        Result r = cli("evaluate", "--run", run.toString(), "--set", "eval_tasks=30");
        assertEquals(0, r.code, r.err);
        assertArrayEquals(before, Files.readAllBytes(run.resolve("eval.json")));
        File[] evals = run.resolve("evaluations").toFile().listFiles((d, n) -> n.endsWith(".json") && !n.startsWith("eval-step-"));
        assertEquals(1, evals.length);
        assertEquals(30, JSON.readTree(evals[evals.length - 1]).get("tasks").asInt());
    }

    @Test
    void evaluateMetaTestsACheckpointOnRequest() throws IOException {
        Result r = cli("evaluate", "--run", run.toString(), "--step", "20", "--set", "eval_tasks=30");
        assertEquals(0, r.code, r.err);
        File[] evals = run.resolve("evaluations").toFile().listFiles((d, n) -> n.startsWith("eval-step-20-"));
        assertEquals(1, evals.length);
        JsonNode atStep20 = JSON.readTree(evals[0]);
        assertEquals(20, atStep20.get("checkpoint_step").asInt());
        Result last = cli("evaluate", "--run", run.toString(), "--step", "30", "--set", "eval_tasks=30");
        assertEquals(0, last.code, last.err);
        assertFalse(last.out.contains(String.format(java.util.Locale.ROOT, "%.4f", atStep20.get("mean").asDouble())),
                "the checkpoints of steps 20 and 30 hold different parameters: " + last.out + " vs " + atStep20);
        Result pruned = cli("evaluate", "--run", run.toString(), "--step", "10");
        assertEquals(ExitCodes.BAD_CONFIG, pruned.code);
        assertTrue(pruned.err.contains("no checkpoint of step 10") && pruned.err.contains("step-000000020"), pruned.err);
    }

    @Test
    void badConfigValuesExitWithTwoAndCreateNothing() {
        String[][] cases = {
                {"--set", "meta_stepz=5", "unknown config key 'meta_stepz'"},
                {"--set", "meta_batch=many", "'meta_batch': bad value 'many'"},
                {"--set", "meta_batch=0", "'meta_batch': bad value '0'"},
                {"--set", "k_shot=-1", "'k_shot': bad value '-1'"},
        };
        for (String[] c : cases) {
            Path out = tmp.resolve("bad-" + c[1].replaceAll("\\W", ""));
            Result r = cli("train", "--config", recipe.toString(), "--out", out.toString(), c[0], c[1]);
            assertEquals(2, r.code, c[1]);
            assertTrue(r.err.contains(c[2]), "stderr '" + r.err + "' lacks " + c[2]);
            assertFalse(Files.exists(out), "no run folder for " + c[1]);
        }
    }

    @Test
    void missingConfigUnwritableOutputUnreachableMasterAndFinishedRunsAreHandled() throws IOException {
        Result missing = cli("train", "--config", tmp.resolve("nope.yaml").toString(), "--out", tmp.resolve("m").toString());
        assertEquals(2, missing.code);
        assertTrue(missing.err.contains("config file not found") && missing.err.contains("nope.yaml"), missing.err);

        Path aFile = Files.writeString(tmp.resolve("a-file"), "x");
        Result unwritable = cli("train", "--config", recipe.toString(), "--out", aFile.resolve("run").toString());
        assertEquals(2, unwritable.code);
        assertTrue(unwritable.err.contains("cannot write the output folder") && unwritable.err.contains("a-file"), unwritable.err);
        assertEquals("x", Files.readString(aFile));

        byte[] before = Files.readAllBytes(run.resolve("eval.json"));
        Result again = cli("train", "--config", recipe.toString(), "--out", run.toString());
        assertEquals(0, again.code, "a finished run is not retrained: " + again.err);
        assertTrue(again.out.contains("already holds a finished run"), again.out);
        assertArrayEquals(before, Files.readAllBytes(run.resolve("eval.json")));

        Result master = cli("train", "--config", recipe.toString(), "--out", tmp.resolve("x").toString(), "--master", "spark://127.0.0.1:1");
        assertEquals(5, master.code, master.err);
        assertTrue(master.err.contains("spark://127.0.0.1:1 cannot be reached"), master.err);
        assertFalse(Files.exists(tmp.resolve("x").resolve("metrics.jsonl")), "nothing trained");

        Result scheme = cli("train", "--config", recipe.toString(), "--out", "nosuchfs://host/run");
        assertEquals(2, scheme.code);
        assertTrue(scheme.err.contains("nosuchfs://host/run"), scheme.err);
    }

    @Test
    void helpListsTheCommands() {
        Result r = cli("--help");
        assertEquals(0, r.code);
        for (String c : new String[]{"train", "evaluate", "bench"}) assertTrue(r.out.contains(c), r.out);
    }

    record Result(int code, String out, String err) {
    }

    static synchronized Result cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = MetaSparkCli.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
