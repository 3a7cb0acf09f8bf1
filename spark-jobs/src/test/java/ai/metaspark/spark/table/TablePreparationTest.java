package ai.metaspark.spark.table;

import ai.metaspark.config.ConfigException;
import ai.metaspark.data.DataException;
import ai.metaspark.data.table.KeyBuckets;
import ai.metaspark.data.table.KeyRows;
import ai.metaspark.data.table.KeySplit;
import ai.metaspark.data.table.TableFamily;
import ai.metaspark.data.table.TableIndex;
import ai.metaspark.data.table.TableProvider;
import ai.metaspark.data.table.TableSpec;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.spark.SparkRuntime;
import ai.metaspark.task.Split;
import ai.metaspark.task.Task;
import ai.metaspark.task.TaskSampler;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preparation of a table with Spark SQL on {@code local[2]}: the rows grouped by key on the executors into bucket
 * files, the same bits whether the table comes in one file or two (read as one or two partitions), keys never
 * straddling splits, standardization from the training keys only, and only small summaries sent to the driver.
 */
class TablePreparationTest {
    @TempDir
    static Path tmp;
    static JavaSparkContext sc;
    static SparkSession spark;
    static List<Row> rows = new ArrayList<>();
    static final StructType SCHEMA = new StructType().add("user", DataTypes.LongType).add("a", DataTypes.DoubleType)
            .add("b", DataTypes.IntegerType).add("city", DataTypes.StringType).add("label", DataTypes.DoubleType);

    @BeforeAll
    static void writeTables() {
        sc = SparkRuntime.start(SparkRuntime.conf("local[2]", "TablePreparationTest"));
        spark = SparkSession.builder().config(sc.getConf()).getOrCreate();
        SplittableRandom rng = new SplittableRandom(7);
        for (long user = 0; user < 1200; user++) {
            int n = user % 97 == 0 ? 1 : 8 + rng.nextInt(20);
            for (int i = 0; i < n; i++) {
                rows.add(RowFactory.create(user, 100 + 10 * rng.nextDouble(), rng.nextInt(5), "c" + rng.nextInt(3),
                        (double) rng.nextInt(3)));
            }
        }
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(tmp.resolve("one").toString());
        spark.createDataFrame(rows, SCHEMA).selectExpr("user", "label", "array(a, b) AS ab",
                        "named_struct('type', 1Y, 'size', 2, 'indices', CAST(NULL AS array<int>), 'values', array(a, CAST(b AS double))) AS dense",
                        "named_struct('type', 0Y, 'size', 2, 'indices', array(0, 1), 'values', array(a, CAST(b AS double))) AS sparse")
                .write().parquet(tmp.resolve("vectors").toString());
        spark.createDataFrame(rows, SCHEMA).repartition(2).write().parquet(tmp.resolve("two").toString());
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static TableSpec spec(String table, String... sets) {
        List<String> all = new ArrayList<>(List.of("task=table", "data=" + tmp.resolve(table), "features=a,b",
                "table_cache=" + tmp.resolve("cache"), "k_shot=5", "k_query=5", "eval_query=5"));
        all.addAll(List.of(sets));
        return TableProvider.spec(Recipe.defaults().with(all.toArray(String[]::new)).familyKeys());
    }

    @Test
    void oneFileOrTwoGiveTheSameBitsAndTheDriverGetsOnlySummaries() throws IOException {
        AtomicLong toDriver = new AtomicLong();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) toDriver.addAndGet(end.taskMetrics().resultSize());
            }
        };
        sc.sc().addSparkListener(listener);
        TablePreparation.Prepared one = new TablePreparation(spark, spec("one")).prepare();
        sc.sc().removeSparkListener(listener);
        TablePreparation.Prepared two = new TablePreparation(spark, spec("two")).prepare();
        long tableBytes = rows.size() * 4L * 8;
        assertTrue(toDriver.get() < tableBytes / 10, "task results to the driver: " + toDriver.get() + " bytes, the rows are " + tableBytes);
        assertTrue(one.index().buckets() >= 2, "several buckets: " + one.index().buckets());
        List<String> files = names(one.folder());
        assertEquals(files, names(two.folder()));
        for (String f : files) {
            if (f.equals("index.json")) continue;
            assertArrayEquals(Files.readAllBytes(Path.of(one.folder(), f)), Files.readAllBytes(Path.of(two.folder(), f)), f);
        }
        assertArrayEquals(one.index().mean(), two.index().mean());
        assertArrayEquals(one.index().std(), two.index().std());
        assertArrayEquals(one.index().keys(), two.index().keys());
    }

    @Test
    void anArrayOrVectorColumnGivesTheFeaturesOfItsElements() throws IOException {
        TablePreparation.Prepared columns = new TablePreparation(spark, spec("one")).prepare();
        for (String column : List.of("ab", "dense", "sparse")) {
            TablePreparation.Prepared p = new TablePreparation(spark, spec("vectors", "features=" + column)).prepare();
            assertEquals(List.of(column + "[0]", column + "[1]"), p.index().features());
            for (String f : names(columns.folder())) {
                if (f.equals("index.json")) continue;
                assertArrayEquals(Files.readAllBytes(Path.of(columns.folder(), f)), Files.readAllBytes(Path.of(p.folder(), f)), column + " " + f);
            }
        }
    }

    @Test
    void aSparkMlVectorColumnGivesTheSameBitsAsItsColumns() throws IOException {
        List<Row> vectors = new ArrayList<>();
        for (Row r : rows) {
            double[] v = {r.getDouble(1), r.getInt(2)};
            vectors.add(RowFactory.create(r.getLong(0), r.getInt(2) == 0 ? Vectors.dense(v).toSparse() : Vectors.dense(v), r.getDouble(4)));
        }
        StructType schema = new StructType().add("user", DataTypes.LongType).add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType);
        spark.createDataFrame(vectors, schema).write().parquet(tmp.resolve("ml").toString());
        TablePreparation.Prepared columns = new TablePreparation(spark, spec("one")).prepare();
        TablePreparation.Prepared ml = new TablePreparation(spark, spec("ml", "features=features")).prepare();
        assertEquals(List.of("features[0]", "features[1]"), ml.index().features());
        for (String f : names(columns.folder())) {
            if (!f.equals("index.json")) {
                assertArrayEquals(Files.readAllBytes(Path.of(columns.folder(), f)), Files.readAllBytes(Path.of(ml.folder(), f)), f);
            }
        }
    }

    @Test
    void aTextFeatureOrAnEmptyFolderIsRefusedBeforeAnythingIsWritten() throws IOException {
        DataException text = assertThrows(DataException.class, () -> new TablePreparation(spark, spec("one", "features=a,city")).prepare());
        assertTrue(text.getMessage().contains("feature column 'city' is string, not numeric"), text.getMessage());
        Files.createDirectories(tmp.resolve("empty/_temporary"));
        DataException empty = assertThrows(DataException.class, () -> new TablePreparation(spark, spec("empty")).prepare());
        assertTrue(empty.getMessage().contains("table folder " + tmp.resolve("empty") + " holds no data files"), empty.getMessage());
        ConfigException key = assertThrows(ConfigException.class, () -> new TablePreparation(spark, spec("one", "task_key=member")).prepare());
        assertTrue(key.getMessage().contains("config key 'task_key': table " + tmp.resolve("one") + " has no column 'member' (its columns: user, a, b, city, label)"),
                key.getMessage());
        try (Stream<Path> cache = Files.list(tmp.resolve("cache"))) {
            assertTrue(cache.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no half-written copy");
        }
    }

    @Test
    void everyKeyIsInOneSplitWhole() throws IOException {
        TableSpec spec = spec("one");
        TablePreparation.Prepared p = new TablePreparation(spark, spec).prepare();
        Map<String, Integer> expected = new HashMap<>();
        for (Row r : rows) expected.merge(String.valueOf(r.getLong(0)), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        long usable = 0;
        for (Split split : Split.values()) {
            for (int b = 0; b < p.index().buckets(); b++) {
                if (p.index().keys()[split.ordinal()][b] == 0) continue;
                for (KeyRows k : KeyBuckets.read(KeyBuckets.file(p.folder(), split, b), 2)) {
                    assertTrue(seen.add(k.key()), "key " + k.key() + " in two places");
                    assertEquals(split, KeySplit.of(k.key(), 1, spec.fractions()), k.key());
                    assertEquals(expected.get(k.key()), k.n(), "all rows of key " + k.key());
                    usable++;
                }
            }
        }
        long skipped = expected.values().stream().filter(n -> n < 10).count();
        assertEquals(expected.size() - skipped, usable);
        TableIndex.Counts c = p.index().counts();
        assertEquals(expected.size(), c.keys());
        assertEquals(rows.size(), c.rows());
        assertEquals(skipped, c.skipped()[0] + c.skipped()[1] + c.skipped()[2]);
        for (Split split : Split.values()) {
            int s = split.ordinal();
            long fewest = expected.entrySet().stream().filter(e -> KeySplit.of(e.getKey(), 1, spec.fractions()) == split)
                    .mapToLong(Map.Entry::getValue).filter(n -> n < 10).min().orElse(0);
            assertEquals(fewest, c.fewestRows()[s], split + ": the skipped key with the fewest rows");
            if (fewest > 0) assertEquals(fewest, (long) expected.get(c.fewestRowsKey()[s]), c.fewestRowsKey()[s]);
        }
    }

    @Test
    void featuresAreStandardizedWithTheTrainingKeysOnly() throws IOException {
        TableSpec spec = spec("one");
        TableIndex index = new TablePreparation(spark, spec).prepare().index();
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (Row r : rows) {
            if (KeySplit.of(String.valueOf(r.getLong(0)), 1, spec.fractions()) != Split.TRAIN) continue;
            sum += r.getDouble(1);
            sumSq += r.getDouble(1) * r.getDouble(1);
            n++;
        }
        double mean = sum / n;
        assertEquals(mean, index.mean()[0], 1e-9);
        assertEquals(Math.sqrt(sumSq / n - mean * mean), index.std()[0], 1e-6);
        TableFamily family = (TableFamily) new TableProvider().family(Recipe.defaults().with("task=table", "data=" + tmp.resolve("one"),
                "features=a,b", "table_cache=" + tmp.resolve("cache"), "k_shot=5", "k_query=5", "eval_query=5").familyKeys());
        Task t = family.materialize(new TaskSampler(1).spec(Split.TEST, 0, 3), 5, 5);
        for (int i = 0; i < 5; i++) assertTrue(Math.abs(t.support().x()[2 * i]) < 4, "standardized: " + t.support().x()[2 * i]);
    }

    @Test
    void classificationRemapsEachKeysLabels() throws IOException {
        TableSpec spec = spec("one", "objective=classification");
        TableIndex index = new TablePreparation(spark, spec).prepare().index();
        assertEquals(3, index.classes());
        TableFamily family = (TableFamily) new TableProvider().family(Recipe.defaults().with("task=table", "data=" + tmp.resolve("one"),
                "features=a,b", "table_cache=" + tmp.resolve("cache"), "k_shot=5", "k_query=5", "eval_query=5",
                "objective=classification").familyKeys());
        assertEquals(3, family.outputSize());
        Task t = family.materialize(new TaskSampler(1).spec(Split.TRAIN, 4, 0), 5, 5);
        for (int i = 0; i < 5; i++) {
            double ones = 0;
            for (int c = 0; c < 3; c++) ones += t.support().y()[3 * i + c];
            assertEquals(1, ones, "one-hot row " + i);
        }
    }

    private static List<String> names(String folder) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(folder))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
