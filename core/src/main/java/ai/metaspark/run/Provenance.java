package ai.metaspark.run;

import ai.metaspark.model.conv.Conv4Backend;
import ai.metaspark.io.Files;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * Where a result came from: software versions, the git commit of the build, what ND4J computes on (CPU or CUDA and
 * its devices: with the recipe's {@code backend}, which backend {@code auto} chose), the data's checksums and the time.
 * Saved with every checkpoint.
 */
public final class Provenance {
    private static final Map<String, Object> DATA_CRC = new ConcurrentHashMap<>();

    private Provenance() {
    }

    /** The provenance of a result now, with the checksums of the files in {@code data} when the run reads a data folder. */
    public static Map<String, Object> current(Optional<String> data) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("metaspark", version(Provenance.class, "dev"));
        p.put("git_commit", gitCommit());
        p.put("dl4j", version(org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class, "1.0.0-M2.1"));
        p.put("nd4j_compute", Conv4Backend.nd4jCompute()); // with the recipe's backend key: what backend auto chose
        p.put("java", System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("cpu", cpu());
        data.ifPresent(location -> p.put("data", dataChecksums(location)));
        p.put("created", Instant.now().toString());
        return p;
    }

    /**
     * The processor, as speed figures need it: {@code /proc/cpuinfo}'s model name, family and model, and the cores
     * this JVM may use ("Intel(R) Xeon(R) Processor @ 2.80GHz (family 6 model 106), 2 cores"); the architecture and
     * core count alone where there is no {@code /proc/cpuinfo}.
     */
    public static String cpu() {
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    if (!fields.isEmpty()) break; // the first processor's block is enough
                    continue;
                }
                fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch") + ", " + cores + " cores";
        }
        return fields.getOrDefault("model name", System.getProperty("os.arch")) + " (family " + fields.getOrDefault("cpu family", "?")
                + " model " + fields.getOrDefault("model", "?") + "), " + cores + " cores";
    }

    /** The commit the classes were built from ({@code -dirty} with uncommitted changes), or "unknown". */
    static String gitCommit() {
        try (InputStream in = Provenance.class.getResourceAsStream("git.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String id = p.getProperty("git.commit.id", "unknown");
            return "true".equals(p.getProperty("git.dirty")) ? id + "-dirty" : id;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** CRC32 and size of every file directly in the data folder, computed once per JVM and file version. */
    static Map<String, Object> dataChecksums(String location) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("location", location);
        try {
            FileSystem fs = Files.fileSystem(location);
            for (FileStatus f : fs.listStatus(new Path(location))) {
                if (!f.isFile()) continue;
                String key = f.getPath() + "@" + f.getLen() + "@" + f.getModificationTime();
                out.put(f.getPath().getName(), DATA_CRC.computeIfAbsent(key, k -> crc(fs, f)));
            }
        } catch (IOException | RuntimeException e) {
            out.put("error", String.valueOf(e.getMessage()));
        }
        return out;
    }

    private static String crc(FileSystem fs, FileStatus f) {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = fs.open(f.getPath())) {
            for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        return String.format("crc32:%08x bytes:%d", crc.getValue(), f.getLen());
    }

    private static String version(Class<?> c, String fallback) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v == null ? fallback : v;
    }
}
