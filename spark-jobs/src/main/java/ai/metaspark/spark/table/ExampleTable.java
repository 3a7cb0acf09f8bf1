package ai.metaspark.spark.table;

import ai.metaspark.io.Files;
import ai.metaspark.spark.SparkRuntime;
import ai.metaspark.task.Seeds;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The example table of {@code make-example-data table}: per-user functions with shared structure, the personalization
 * problem in miniature. Each of {@value #USERS} users has a daily rhythm and a temperature response of its own,
 * <pre>
 *   label = A_u sin(2 pi hour / 24 - phi_u) + B_u (temperature - 12.5) / 13 + noise,
 * </pre>
 * A_u ~ U[0.5, 2.5], phi_u ~ U[0, 2 pi), B_u ~ U[-1, 1], noise ~ N(0, 0.1^2); hour ~ U[0, 24), temperature ~
 * U[-10, 35], and two features that do not matter: price (log-uniform in [1, 100]) and weekday (0..6). Most users have
 * 40 to 60 rows; every 50th has 1 to 5 (a cold user, whom a run skips and counts). A user's rows are a function of
 * (seed, user) only. Written as Parquet with Spark SQL (columns user, hour, temperature, price, weekday, label).
 */
public final class ExampleTable {
    static final int USERS = 2000;
    private static final long STREAM = 0x45584D54L; // "EXMT"

    private ExampleTable() {
    }

    /** What was written. */
    public record Written(String location, long rows, int users) {
    }

    /** Writes the table into {@code out} (which must not exist or be an empty folder), with Spark embedded. */
    public static Written write(String out, long seed) throws IOException {
        Files.refuseNonEmptyOut(Files.fileSystem(out), new Path(out));
        List<Row> rows = new ArrayList<>();
        for (int u = 1; u <= USERS; u++) addUser(rows, u, seed);
        StructType schema = new StructType().add("user", DataTypes.StringType).add("hour", DataTypes.DoubleType)
                .add("temperature", DataTypes.DoubleType).add("price", DataTypes.DoubleType)
                .add("weekday", DataTypes.IntegerType).add("label", DataTypes.DoubleType);
        JavaSparkContext sc = SparkRuntime.start(SparkRuntime.conf(null, "metaspark make-example-data table"));
        try {
            SparkSession spark = SparkSession.builder().config(sc.getConf()).getOrCreate();
            spark.createDataFrame(rows, schema).repartition(4).write().mode("overwrite").parquet(out);
        } finally {
            sc.stop();
        }
        return new Written(out, rows.size(), USERS);
    }

    private static void addUser(List<Row> rows, int u, long seed) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, STREAM, u));
        double a = 0.5 + 2 * rng.nextDouble();
        double phi = 2 * Math.PI * rng.nextDouble();
        double b = -1 + 2 * rng.nextDouble();
        int n = u % 50 == 0 ? 1 + rng.nextInt(5) : 40 + rng.nextInt(21);
        String user = String.format(Locale.ROOT, "u%04d", u);
        for (int i = 0; i < n; i++) {
            double hour = 24 * rng.nextDouble();
            double temperature = -10 + 45 * rng.nextDouble();
            double price = Math.exp(Math.log(100) * rng.nextDouble());
            int weekday = rng.nextInt(7);
            double label = a * StrictMath.sin(2 * Math.PI * hour / 24 - phi) + b * (temperature - 12.5) / 13 + 0.1 * gaussian(rng);
            rows.add(RowFactory.create(user, hour, temperature, price, weekday, label));
        }
    }

    /** A standard normal draw (Box-Muller, one of the pair). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * StrictMath.cos(2 * Math.PI * rng.nextDouble());
    }
}
