package ai.metaspark.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * One configuration value: its name, type, default, constraint and documentation. Every key is declared once, in
 * {@link Keys}; parsing and validation live here so that a YAML file and {@code --set KEY=VALUE} behave the same.
 *
 * @param <T> the Java type of the value (Integer, Long, Double, String, or a List of Integer or of String)
 */
public final class ConfigKey<T> {
    /** The value types a key can hold. */
    public enum Type { INT, LONG, DOUBLE, CHOICE, INT_LIST, STRING, STRING_LIST }

    private final String name;
    private final Type type;
    private final T defaultValue;
    private final Predicate<T> valid;
    private final String expected;
    private final List<String> choices;
    private final String doc;

    ConfigKey(String name, Type type, T defaultValue, Predicate<T> valid, String expected, List<String> choices, String doc) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.valid = valid;
        this.expected = expected;
        this.choices = choices;
        this.doc = doc;
    }

    public String name() { return name; }
    public Type type() { return type; }
    public T defaultValue() { return defaultValue; }
    public String doc() { return doc; }
    public String expected() { return expected; }

    /** Parses a raw value (a YAML scalar or list, or a command-line string) and checks its constraint. */
    @SuppressWarnings("unchecked")
    public T parse(Object raw) {
        if (raw == null) throw bad(raw, "a value");
        T value = (T) convert(raw);
        if (!valid.test(value)) throw bad(raw, expected);
        return value;
    }

    private Object convert(Object raw) {
        String s = raw instanceof List<?> ? null : raw.toString().trim();
        try {
            switch (type) {
                case INT: return Math.toIntExact(parseWhole(s));
                case LONG: return parseWhole(s);
                case DOUBLE: return Double.parseDouble(s);
                case CHOICE: return parseChoice(s);
                case STRING: if (s == null) throw bad(raw, expected); return s;
                case STRING_LIST: return parseStringList(raw);
                default: return parseIntList(raw);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(raw, expected);
        }
    }

    private static long parseWhole(String s) {
        if (s == null) throw new NumberFormatException();
        String t = s.replace("_", "");
        if (t.matches("[+-]?\\d+")) return Long.parseLong(t);
        double d = Double.parseDouble(t);          // accepts 7e4, rejects 1.5
        if (d != Math.rint(d) || Math.abs(d) > Long.MAX_VALUE) throw new NumberFormatException();
        return (long) d;
    }

    private String parseChoice(String s) {
        String v = s == null ? "" : s.toLowerCase(Locale.ROOT);
        if (!choices.contains(v)) throw bad(s, "one of " + choices);
        return v;
    }

    private List<Integer> parseIntList(Object raw) {
        List<Integer> out = new ArrayList<>();
        Iterable<?> items = raw instanceof List<?> l ? l : List.of(raw.toString().replace("[", "").replace("]", "").split(","));
        for (Object item : items) {
            String t = item.toString().trim();
            if (!t.isEmpty()) out.add(Math.toIntExact(parseWhole(t)));
        }
        return List.copyOf(out);
    }

    /** A YAML list of names, or one string of comma-separated names; blanks are dropped. */
    private static List<String> parseStringList(Object raw) {
        List<String> out = new ArrayList<>();
        Iterable<?> items = raw instanceof List<?> l ? l : List.of(raw.toString().replace("[", "").replace("]", "").split(","));
        for (Object item : items) {
            String t = item.toString().trim();
            if (!t.isEmpty()) out.add(t);
        }
        return List.copyOf(out);
    }

    private ConfigException bad(Object raw, String what) {
        return new ConfigException("config key '" + name + "': bad value '" + raw + "' (expected " + what + ")");
    }
}
