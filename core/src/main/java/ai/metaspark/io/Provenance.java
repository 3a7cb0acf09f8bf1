package ai.metaspark.io;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a result came from: software versions and time. Saved with every checkpoint. */
public final class Provenance {
    private Provenance() {
    }

    public static Map<String, Object> current() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("metaspark", version(Provenance.class, "dev"));
        p.put("dl4j", version(org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class, "1.0.0-M2.1"));
        p.put("java", System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("created", Instant.now().toString());
        return p;
    }

    private static String version(Class<?> c, String fallback) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v == null ? fallback : v;
    }
}
