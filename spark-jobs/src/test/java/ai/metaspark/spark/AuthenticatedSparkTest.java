package ai.metaspark.spark;

import ai.metaspark.config.RunConfig;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.LocalTaskRunner;
import ai.metaspark.train.MetaTrainer;
import ai.metaspark.train.RunLog;
import ai.metaspark.train.TaskRunner;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** With spark.authenticate on, barrier segments (whose all-reduce then proves Spark's secret) give the in-process bits. */
class AuthenticatedSparkTest {
    private static double[] train(Experiment e, TaskRunner runner) {
        MetaTrainer t = new MetaTrainer(e, runner, RunLog.NONE, new PrintStream(OutputStream.nullOutputStream()));
        return t.train(t.initialState()).meta();
    }

    @Test
    void barrierSegmentsUnderSparkAuthenticateGiveTheInProcessBits() {
        Experiment e = Recipe.of(RunConfig.defaults().with("meta_steps=12", "meta_batch=6", "val_every=0",
                "checkpoint_every=0", "log_every=6", "steps_per_job=6")).experiment();
        double[] reference;
        try (TaskRunner local = new LocalTaskRunner(e, 1)) {
            reference = train(e, local);
        }
        SparkConf conf = SparkRuntime.conf("local[2]", "AuthenticatedSparkTest")
                .set("spark.authenticate", "true").set("spark.authenticate.secret", "a-test-secret");
        JavaSparkContext sc = SparkRuntime.start(conf);
        try (SparkTaskRunner spark = new SparkTaskRunner(sc, e, 2)) {
            assertArrayEquals(reference, train(e, spark));
        } finally {
            sc.stop();
        }
    }
}
