package ai.metaspark.cli;

import ai.metaspark.data.DataLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code make-example-data table} writes a Parquet table that {@code conf/table-personalization-example.yaml} trains
 * on through Spark, the same bits for one or two Spark partitions per meta-step; bad tables and bad column keys end
 * the run before anything is written (exit codes 3 and 2).
 */
class TableCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path table;

    @BeforeAll
    static void makeExampleData() {
        table = tmp.resolve("table");
        CliTest.Result r = CliTest.cli("make-example-data", "table", "--out", table.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("rows of 2000 users"), r.out());
    }

    private static CliTest.Result train(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--config", DataLocation.projectRoot().resolve("conf/table-personalization-example.yaml").toString(), "--out", out.toString(),
                "--set", "table_cache=" + tmp.resolve("cache")));
        for (String a : args) {
            if (a.startsWith("--")) {
                all.add(a);
            } else {
                all.add("--set");
                all.add(a);
            }
        }
        return CliTest.cli(all.toArray(String[]::new));
    }

    @Test
    void theExampleRecipeTrainsOnItAndReusesThePreparedCopy() throws IOException {
        CliTest.Result first = train(tmp.resolve("run"), "data=" + table, "meta_steps=200", "val_every=100", "eval_tasks=50");
        assertEquals(ExitCodes.OK, first.code(), first.err());
        assertTrue(first.out().contains("2,000 keys") && first.out().contains("skipped") && first.out().contains("grouped by key"),
                first.out());
        JsonNode eval = JSON.readTree(tmp.resolve("run/eval.json").toFile());
        assertEquals("mse", eval.get("metric").asText());
        assertTrue(eval.get("per_step").get(10).asDouble() < eval.get("per_step").get(0).asDouble(), "adaptation helps: " + eval);
        CliTest.Result again = train(tmp.resolve("run2"), "data=" + table, "meta_steps=10", "val_every=0", "eval_tasks=10", "--in-process");
        assertEquals(ExitCodes.OK, again.code(), again.err());
        assertTrue(again.out().contains("prepared copy") && !again.out().contains("grouped by key"), again.out());
        CliTest.Result evaluate = CliTest.cli("evaluate", "--run", tmp.resolve("run").toString(), "--set", "eval_tasks=20");
        assertEquals(ExitCodes.OK, evaluate.code(), evaluate.err());
        assertTrue(evaluate.out().contains("prepared copy") && evaluate.out().contains("mse after 10 inner step(s)"), evaluate.out());
    }

    @Test
    void oneOrTwoSparkPartitionsPerStepGiveTheSameBits() throws IOException {
        String[] common = {"data=" + table, "meta_steps=60", "meta_batch=8", "val_every=30", "eval_tasks=40", "--master=local[2]"};
        Path[] runs = {tmp.resolve("p1"), tmp.resolve("p2")};
        for (int p = 0; p < 2; p++) {
            List<String> args = new ArrayList<>(List.of(common));
            args.add("partitions=" + (p + 1));
            CliTest.Result r = train(runs[p], args.toArray(String[]::new));
            assertEquals(ExitCodes.OK, r.code(), r.err());
        }
        assertArrayEquals(Files.readAllBytes(runs[0].resolve("meta-params.bin")), Files.readAllBytes(runs[1].resolve("meta-params.bin")));
        assertEquals(JSON.readTree(runs[0].resolve("eval.json").toFile()).get("per_step"),
                JSON.readTree(runs[1].resolve("eval.json").toFile()).get("per_step"));
    }

    @Test
    void aClassificationTableTrainsWithItsLabelsAsClasses() throws IOException {
        StringBuilder csv = new StringBuilder("shop,x1,x2,outcome\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int u = 0; u < 150; u++) {
            double angle = 2 * Math.PI * rng.nextDouble();
            for (int i = 0; i < 40; i++) {
                double x1 = rng.nextDouble() * 2 - 1;
                double x2 = rng.nextDouble() * 2 - 1;
                int label = Math.cos(angle) * x1 + Math.sin(angle) * x2 > 0 ? 7 : 3; // each shop its own boundary
                csv.append("s").append(u).append(',').append(x1).append(',').append(x2).append(',').append(label).append('\n');
            }
        }
        Path file = tmp.resolve("shops.csv");
        Files.writeString(file, csv);
        Path run = tmp.resolve("classify");
        CliTest.Result r = train(run, "data=" + file, "task_key=shop", "features=", "label=outcome", "objective=classification",
                "meta_steps=300", "inner_lr=0.5", "val_every=0", "eval_tasks=100", "--in-process");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("2 features [x1, x2]"), r.out());
        JsonNode eval = JSON.readTree(run.resolve("eval.json").toFile());
        assertEquals("accuracy", eval.get("metric").asText());
        assertTrue(eval.get("mean").asDouble() > 0.75, "two classes, chance 0.5: " + eval);
    }

    @Test
    void aSweepPreparesTheCopyEachTrialNeeds() throws IOException {
        Path f = tmp.resolve("sweep.yaml");
        Files.writeString(f, "base: " + DataLocation.projectRoot().resolve("conf/table-personalization-example.yaml") + "\nset:\n  data: " + table + "\n  table_cache: " + tmp.resolve("sweep-cache")
                + "\n  meta_steps: 40\n  val_every: 0\n  val_tasks: 30\nspace:\n  k_shot: [5, 10]\nscheduler: grid\nseed: 3\n");
        CliTest.Result r = CliTest.cli("sweep", "--config", f.toString(), "--out", tmp.resolve("sweep").toString(), "--master", "local[2]");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        try (Stream<Path> copies = Files.list(tmp.resolve("sweep-cache"))) {
            assertEquals(2, copies.filter(p -> Files.exists(p.resolve("index.json"))).count(), "one prepared copy per k_shot");
        }
        assertEquals(2, Files.readAllLines(tmp.resolve("sweep/trials.jsonl")).size());
        String rows = Files.readString(tmp.resolve("sweep/trials.jsonl"));
        assertEquals(2, rows.split("\"status\":\"done\"", -1).length - 1, rows);
    }

    @Test
    void missingColumnsAreExitCode2NamingTheKey() throws IOException {
        for (String[] bad : new String[][]{{"task_key", "member"}, {"features", "hour,humidity"}, {"label", "clicks"}}) {
            Path out = tmp.resolve("never-" + bad[0]);
            CliTest.Result r = train(out, "data=" + table, bad[0] + "=" + bad[1]);
            assertEquals(ExitCodes.BAD_CONFIG, r.code(), r.err());
            String missing = bad[1].contains(",") ? "humidity" : bad[1];
            assertTrue(r.err().contains("'" + bad[0] + "'") && r.err().contains("no column '" + missing + "'")
                    && r.err().contains("user, hour"), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(out), "nothing written");
        }
    }

    @Test
    void badTablesAreExitCode3WithNothingWritten() throws IOException {
        Path csv = Files.createDirectories(tmp.resolve("csv"));
        StringBuilder ok = new StringBuilder("user,hour,city,label\n");
        for (int u = 0; u < 40; u++) for (int i = 0; i < 30; i++) ok.append("u").append(u).append(',').append(i).append(",c").append(i % 3).append(",1.5\n");
        Files.writeString(csv.resolve("ok.csv"), ok);
        Files.writeString(csv.resolve("ragged.csv"), ok.toString().replace("u7,3,c0,1.5\n", "u7,3,c0\n"));
        Files.writeString(csv.resolve("missing.csv"), ok.toString().replace("u3,4,c1,1.5\n", "u3,4,c1,\n"));
        Files.writeString(csv.resolve("single.csv"), "user,hour,label\na,1,2\nb,2,3\nc,3,4\n");
        check("data=" + csv.resolve("ok.csv"), "features=hour,city", "feature column 'city' is not numeric: its value 'c0' (key 'u0') is not a number");
        check("data=" + csv.resolve("ragged.csv"), "features=hour", "ragged.csv has a line whose fields do not match its header's 4 columns: 'u7,3,c0'");
        check("data=" + csv.resolve("missing.csv"), "features=hour", "a row of key 'u3' has no value in label column 'label'; drop or fill such rows first");
        check("data=" + csv.resolve("single.csv"), "features=hour", "the train split has no key with at least 20 rows (k_shot + k_query): its ");
        check("data=" + csv.resolve("single.csv"), "features=hour", "with 1 row");
        check("data=" + tmp.resolve("nowhere"), "features=hour", "table not found: ");
        try (Stream<Path> cached = Files.exists(tmp.resolve("cache-bad")) ? Files.list(tmp.resolve("cache-bad")) : Stream.empty()) {
            assertEquals(List.of(), cached.toList(), "no prepared copy, no leftovers");
        }
    }

    private static void check(String data, String features, String message) {
        Path out = tmp.resolve("never");
        CliTest.Result r = train(out, data, features, "table_cache=" + tmp.resolve("cache-bad"));
        assertEquals(ExitCodes.DATA_MISSING, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void anExistingFolderIsRefused() {
        CliTest.Result again = CliTest.cli("make-example-data", "table", "--out", table.toString());
        assertEquals(ExitCodes.BAD_CONFIG, again.code());
        assertTrue(again.err().contains("not an empty folder"), again.err());
    }
}
