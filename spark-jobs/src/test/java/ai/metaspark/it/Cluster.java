package ai.metaspark.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/** What the integration tests share: the project's paths and flags, child JVMs, ports and waiting. */
final class Cluster {
    static final Path ROOT = findRoot();
    static final Path TARGET = ROOT.resolve("spark-jobs/target");

    private Cluster() {
    }

    private static Path findRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("core")) && Files.exists(p.resolve("conf/jvm.properties")))) p = p.getParent();
        if (p == null) throw new IllegalStateException("project root not found above " + System.getProperty("user.dir"));
        return p;
    }

    static String recipe(String name) {
        return ROOT.resolve("conf").resolve(name).toString();
    }

    /** The JVM flags of conf/jvm.properties (the --add-opens list), as bin/metaspark passes them. */
    static List<String> jvmFlags() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve("conf/jvm.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Arrays.asList(p.getProperty("jvm.flags").trim().split("\\s+"));
    }

    /**
     * What a Spark cluster provides, for the daemons, the driver and the executors: the test class path without this
     * module's output, without class folders, and without every jar the cluster jar carries under its own names (DL4J,
     * ND4J and their natives, picocli, xchart, core, ...: the inputs of the shade plugin, target/runtime-classpath.txt,
     * with a class in the cluster jar, or with no classes: natives). Left: Spark, Hadoop, Scala and their dependencies,
     * Jackson and commons-* among them (the cluster jar has its own copies relocated under ai.metaspark.shaded), and the
     * test libraries.
     */
    static String clusterClassPath() throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Set<String> inputs = new HashSet<>(Arrays.asList(Files.readString(TARGET.resolve("runtime-classpath.txt")).trim().split(File.pathSeparator)));
        Set<String> carried = classesIn(clusterJar());
        List<String> kept = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            if (p.startsWith(TARGET) || !e.endsWith(".jar")) continue;
            if (inputs.contains(e)) {
                Set<String> classes = classesIn(p);
                if (classes.isEmpty() || classes.stream().anyMatch(carried::contains)) continue;
            }
            kept.add(e);
        }
        for (String app : List.of("/org/nd4j/", "/org/deeplearning4j/", "/org/bytedeco/", "/info/picocli/", "/org/knowm/", "metaspark-core")) {
            kept.stream().filter(e -> e.contains(app)).findAny().ifPresent(e -> {
                throw new IllegalStateException("application jar on the cluster class path: " + e);
            });
        }
        for (String spark : List.of("/spark-core_2.12-", "/scala-library-", "/hadoop-client-api-")) {
            if (kept.stream().noneMatch(e -> e.contains(spark))) throw new IllegalStateException("no " + spark + " on the cluster class path");
        }
        return String.join(File.pathSeparator, kept);
    }

    /** The classes of a jar, without module-info and multi-release versions. */
    private static Set<String> classesIn(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.equals("module-info.class"))
                    .collect(Collectors.toSet());
        }
    }

    /** The application jar for spark-submit: the slim cluster jar that {@code mvn package} built (no Spark, Hadoop, Scala inside). */
    static Path clusterJar() throws IOException {
        try (var s = Files.list(TARGET)) {
            return s.filter(p -> p.getFileName().toString().matches("metaspark-spark-jobs-[^-]+(-SNAPSHOT)?-cluster\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no cluster jar in " + TARGET + " (run mvn package)"));
        }
    }

    /** A {@code java} command line with the project's JVM flags, logging setup and {@code classPath}. */
    static List<String> java(String classPath, String mainClass, String... args) {
        List<String> cmd = daemon(classPath, mainClass, args);
        cmd.add(cmd.indexOf("-cp"), "-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties"));
        return cmd;
    }

    /** A {@code java} command line for a Spark daemon: Spark's own INFO logging, which the tests wait on. */
    static List<String> daemon(String classPath, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.addAll(jvmFlags());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Environment for Spark daemons and drivers started from jars (dl4j-spark-notes section 5.2). */
    static Map<String, String> sparkEnv() throws IOException {
        Path home = TARGET.resolve("fake-spark-home");
        Files.createDirectories(home.resolve("jars"));
        return Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.12", "SPARK_LOCAL_IP", "127.0.0.1",
                "OMP_NUM_THREADS", "1", "OPENBLAS_CORETYPE", System.getenv().getOrDefault("OPENBLAS_CORETYPE", "SKYLAKEX"));
    }

    /** Starts a child process with output to {@code log}. */
    static Process start(List<String> cmd, Map<String, String> env, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs a child process to its end and returns its exit code; kills it after {@code limit}. */
    static int run(List<String> cmd, Map<String, String> env, Path log, Duration limit) throws Exception {
        Process p = start(cmd, env, log);
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + limit + ": " + String.join(" ", cmd) + "\n" + tail(log));
        }
        return p.exitValue();
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static void await(String what, Duration limit, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out after " + limit + " waiting for " + what);
            Thread.sleep(200);
        }
    }

    static boolean logContains(Path log, String text, int times) {
        try {
            String s = Files.readString(log);
            int n = 0;
            for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) n++;
            return n >= times;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The arguments of a short sinusoid training that every IT runs (and compares bit for bit). */
    static List<String> shortTraining(String out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--config", recipe("sinusoid-maml.yaml"), "--out", out,
                "--set", "meta_steps=60", "--set", "meta_batch=8", "--set", "eval_tasks=20", "--set", "val_every=30",
                "--set", "checkpoint_every=20"));
        a.addAll(List.of(more));
        return a;
    }
}
