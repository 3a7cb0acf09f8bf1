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
 * {@code spark-submit}, else embedded {@code local[*]}. Kryo with required registration is always on. The Spark UI
 * and event logs follow the cluster's settings (the UI is off by default only on {@code local} masters). On
 * {@code local-cluster} the executors get the launcher's class path. On a cluster master (not {@code local[...]}, no
 * dynamic allocation) the job waits at most {@value #EXECUTOR_START_TIMEOUT} (default
 * {@value #DEFAULT_EXECUTOR_START_TIMEOUT}) for a first executor, then fails with what to check, instead of waiting
 * forever while Spark relaunches executors that cannot start.
 */
public final class SparkRuntime {
    public static final String DEFAULT_MASTER = "local[*]";
    /** How long a job on a cluster master waits for its first executor (a Spark time string). */
    public static final String EXECUTOR_START_TIMEOUT = "spark.metaspark.executorStartTimeout";
    static final String DEFAULT_EXECUTOR_START_TIMEOUT = "180s";
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
        if (conf.get("spark.master").startsWith("local-cluster")) { // executor JVMs started here: the launcher's jars
            conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        if (conf.get("spark.master").startsWith("local")) { // embedded, local-cluster: stay on the loopback interface
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false"); // a run on this machine: no web server unless asked for
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false"); // MetaSpark prints its own progress
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
        JavaSparkContext sc;
        try {
            sc = JavaSparkContext.fromSparkContext(org.apache.spark.SparkContext.getOrCreate(conf));
        } catch (Exception e) { // Scala code throws SparkException without declaring it
            if (e instanceof org.apache.spark.SparkException || e instanceof IllegalArgumentException) {
                throw new ConfigException("cannot start Spark with master '" + master + "': " + e.getMessage(), e);
            }
            throw e;
        }
        awaitFirstExecutor(sc);
        return sc;
    }

    /** On a cluster master without dynamic allocation: the first executor registers in time, or the context stops. */
    private static void awaitFirstExecutor(JavaSparkContext sc) {
        SparkConf conf = sc.getConf();
        String master = conf.get("spark.master");
        if (master.equals("local") || master.startsWith("local[") || conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            return;
        }
        long timeoutMs = conf.getTimeAsMs(EXECUTOR_START_TIMEOUT, DEFAULT_EXECUTOR_START_TIMEOUT);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (sc.sc().statusTracker().getExecutorInfos().length < 2) { // the driver counts as one
            if (System.nanoTime() > deadline) {
                sc.stop();
                throw new IllegalStateException(String.format(Locale.ROOT, "no executor registered with master %s within %d s. "
                        + "Check that executors can start: their class path (spark.executor.extraClassPath, or the application jar), "
                        + "the resources asked (spark.executor.memory=%s, spark.executor.cores=%s) against what the cluster offers, "
                        + "and the cluster manager's logs; raise %s if the cluster is only slow", master, timeoutMs / 1000,
                        conf.get("spark.executor.memory", "1g"), conf.get("spark.executor.cores", "default"), EXECUTOR_START_TIMEOUT));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
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
