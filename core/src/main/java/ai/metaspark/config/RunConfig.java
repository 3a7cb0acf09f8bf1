package ai.metaspark.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ArrayList;

/**
 * A resolved, validated configuration: every key of {@link Keys} with a value (defaults included). Immutable.
 * Built from a YAML document plus {@code KEY=VALUE} overrides; unknown keys and bad values are rejected by name.
 */
public final class RunConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final LinkedHashMap<String, Object> values;

    private RunConfig(LinkedHashMap<String, Object> values) {
        this.values = values;
    }

    /** The defaults, as documented in {@link Keys}. */
    public static RunConfig defaults() {
        return of(Map.of(), List.of());
    }

    /** Reads YAML text (a mapping of key to value) and applies {@code KEY=VALUE} overrides in order. */
    public static RunConfig fromYaml(InputStream yaml, String source, List<String> overrides) {
        Map<String, Object> raw;
        try {
            String text = new String(yaml.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!text.isBlank()) refuseDuplicateKeys(text, source);
            raw = text.isBlank() ? Map.of() : YAML.readValue(text, LinkedHashMap.class);
        } catch (IOException e) {
            throw new ConfigException("config file " + source + " is not a YAML mapping: " + e.getMessage(), e);
        }
        return of(raw == null ? Map.of() : raw, overrides);
    }

    /** A key given twice would silently take its last value: refused, with both lines. */
    private static void refuseDuplicateKeys(String text, String source) throws IOException {
        Map<String, Integer> lines = new java.util.HashMap<>();
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            int depth = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                } else if (t == JsonToken.FIELD_NAME && depth == 1) {
                    int line = p.getTokenLocation().getLineNr();
                    Integer first = lines.putIfAbsent(p.getCurrentName(), line);
                    if (first != null) {
                        throw new ConfigException("config file " + source + ": key '" + p.getCurrentName() + "' is given twice (lines "
                                + first + " and " + line + ")");
                    }
                }
            }
        }
    }

    /** Validates a raw map plus overrides. */
    public static RunConfig of(Map<String, ?> raw, List<String> overrides) {
        LinkedHashMap<String, Object> merged = new LinkedHashMap<>(raw);
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new ConfigException("bad override '" + o + "' (expected KEY=VALUE)");
            merged.put(o.substring(0, eq).trim(), o.substring(eq + 1));
        }
        for (String k : merged.keySet()) {
            if (!Keys.all().containsKey(k)) {
                throw new ConfigException("unknown config key '" + k + "' (known keys: " + String.join(", ", Keys.all().keySet()) + ")");
            }
        }
        LinkedHashMap<String, Object> resolved = new LinkedHashMap<>();
        for (ConfigKey<?> key : Keys.all().values()) {
            Object v = merged.containsKey(key.name()) ? key.parse(merged.get(key.name())) : key.defaultValue();
            resolved.put(key.name(), v);
        }
        return new RunConfig(resolved);
    }

    /** A copy with {@code KEY=VALUE} overrides applied. */
    public RunConfig with(String... overrides) {
        return of(values, List.of(overrides));
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) values.get(key.name());
    }

    public int getInt(ConfigKey<Integer> key) {
        return get(key);
    }

    public double getDouble(ConfigKey<Double> key) {
        return get(key);
    }

    /** Whether an on/off key ({@code "false"} or {@code "true"}) is on. */
    public boolean isOn(ConfigKey<String> flag) {
        return get(flag).equals("true");
    }

    /** All values, in declaration order. */
    public Map<String, Object> asMap() {
        return new LinkedHashMap<>(values);
    }

    /** The resolved configuration as YAML, every key included. */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The keys whose values differ from {@code other}'s, ignoring {@link Keys#OPERATIONAL} ones, as
     * {@code "key: this vs other"}; empty when both give the same results.
     */
    public List<String> resultDifferences(RunConfig other) {
        List<String> out = new ArrayList<>();
        for (ConfigKey<?> k : Keys.all().values()) {
            Object a = values.get(k.name());
            Object b = other.values.get(k.name());
            if (!Keys.OPERATIONAL.contains(k) && !Objects.equals(a, b)) out.add(k.name() + ": " + a + " vs " + b);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunConfig r && r.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
