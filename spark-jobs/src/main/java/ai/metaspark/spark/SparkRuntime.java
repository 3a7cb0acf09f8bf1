package ai.metaspark.spark;

import ai.metaspark.config.ConfigException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;

/**
 * Builds the Spark context of a job. The master is {@code --master} when given, else {@code spark.master} from
 * {@code spark-submit}, else embedded {@code local[*]}. Kryo with required registration is always on.
 */
public final class SparkRuntime {
    public static final String DEFAULT_MASTER = "local[*]";
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final String[] FORWARDED_ENV = {"OPENBLAS_CORETYPE", "OMP_NUM_THREADS", "METASPARK_HOME"};

    private SparkRuntime() {
    }

    /** The configuration for {@code master} (null: spark-submit's or the embedded default). */
    public static SparkConf conf(String master, String appName) {
        SparkConf conf = new SparkConf();
        if (master != null) conf.setMaster(master);
        else if (!conf.contains("spark.master")) conf.setMaster(DEFAULT_MASTER);
        conf.setIfMissing("spark.app.name", appName);
        conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.set("spark.kryo.registrationRequired", "true");
        conf.set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator," + MetaSparkKryoRegistrator.class.getName());
        for (String var : FORWARDED_ENV) {
            String v = System.getenv(var);
            if (v != null) conf.setIfMissing("spark.executorEnv." + var, v); // executors compute (and resolve relative paths) like the driver
        }
        conf.setIfMissing("spark.executor.extraJavaOptions", executorJavaOptions());
        if (conf.get("spark.master").startsWith("local")) { // embedded, local-cluster: stay on the loopback interface
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
        }
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        return conf;
    }

    /** The driver's native-library choice and logging setup, for executor JVMs started by Spark. */
    private static String executorJavaOptions() {
        StringBuilder o = new StringBuilder();
        for (String p : new String[]{"org.bytedeco.javacpp.platform.extension", "log4j2.configurationFile"}) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) o.append(o.length() > 0 ? " " : "").append("-D").append(p).append('=').append(v);
        }
        return o.toString();
    }

    /** Starts (or joins, under spark-submit) the context; an unreachable standalone master fails fast. */
    public static JavaSparkContext start(SparkConf conf) {
        String master = conf.get("spark.master");
        if (master.startsWith("spark://")) requireReachable(master);
        try {
            return JavaSparkContext.fromSparkContext(org.apache.spark.SparkContext.getOrCreate(conf));
        } catch (Exception e) { // Scala code throws SparkException without declaring it
            if (e instanceof org.apache.spark.SparkException || e instanceof IllegalArgumentException) {
                throw new ConfigException("cannot start Spark with master '" + master + "': " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static void requireReachable(String master) {
        IOException last = null;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI u = URI.create("spark://" + hostPort);
            if (u.getHost() == null || u.getPort() < 0) throw new ConfigException("bad Spark master URL '" + master + "': expected spark://HOST:PORT");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort()), CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException(String.format(Locale.ROOT, "Spark master %s cannot be reached (%s); "
                + "check the URL and that the master is running", master, last.getMessage()), last);
    }
}
