package ai.metaspark.sweep;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.ConfigKey;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The values one swept key may take. A YAML list is a set of values ({@link Values}: the grid's axis, or a random
 * choice); a one-entry mapping is a range: {@code {uniform: [lo, hi]}}, {@code {log_uniform: [lo, hi]}},
 * {@code {int: [lo, hi]}} (both ends included), or {@code {choice: [a, b, ...]}}.
 */
public sealed interface Domain {

    /** A value drawn from {@code rng}, as the text a {@code --set KEY=VALUE} would carry. */
    String sample(SplittableRandom rng);

    /** The grid's values; ranges have none. */
    List<String> values();

    /** Listed values (grid axis, or uniform random choice). */
    record Values(List<String> all) implements Domain {
        @Override
        public String sample(SplittableRandom rng) {
            return all.get(rng.nextInt(all.size()));
        }

        @Override
        public List<String> values() {
            return all;
        }
    }

    /** Uniform on [lo, hi], or log-uniform when {@code log}; values are rounded to 4 significant digits. */
    record Real(double lo, double hi, boolean log) implements Domain {
        private static final MathContext DIGITS = new MathContext(4);

        @Override
        public String sample(SplittableRandom rng) {
            double u = rng.nextDouble();
            double v = log ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
            return new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString(); // 0.01627, as a person would write it
        }

        @Override
        public List<String> values() {
            return List.of();
        }
    }

    /** An integer uniform on [lo, hi]. */
    record Whole(long lo, long hi) implements Domain {
        @Override
        public String sample(SplittableRandom rng) {
            return Long.toString(lo + rng.nextLong(hi - lo + 1));
        }

        @Override
        public List<String> values() {
            return List.of();
        }
    }

    /** Parses the YAML value of {@code space.KEY} and checks it against the key's type and constraint. */
    static Domain parse(ConfigKey<?> key, Object raw) {
        String where = "space." + key.name();
        if (raw instanceof List<?> list) return values(key, where, list);
        if (!(raw instanceof Map<?, ?> map) || map.size() != 1) {
            throw new ConfigException(where + ": expected a list of values or one of {uniform: [lo, hi]}, "
                    + "{log_uniform: [lo, hi]}, {int: [lo, hi]}, {choice: [...]}; got " + raw);
        }
        var entry = map.entrySet().iterator().next();
        String kind = String.valueOf(entry.getKey());
        Object arg = entry.getValue();
        if (kind.equals("choice")) {
            if (!(arg instanceof List<?> list)) throw new ConfigException(where + ".choice: expected a list, got " + arg);
            return values(key, where, list);
        }
        double[] range = range(where + "." + kind, arg);
        return switch (kind) {
            case "uniform" -> real(key, where, range, false);
            case "log_uniform" -> real(key, where, range, true);
            case "int" -> whole(key, where, range);
            default -> throw new ConfigException(where + ": unknown range '" + kind + "' (uniform, log_uniform, int or choice)");
        };
    }

    private static Values values(ConfigKey<?> key, String where, List<?> list) {
        if (list.isEmpty()) throw new ConfigException(where + ": the list of values is empty");
        List<String> texts = list.stream().map(Domain::text).toList();
        for (String t : texts) key.parse(t); // names the key and the bad value
        if (texts.stream().distinct().count() != texts.size()) throw new ConfigException(where + ": a value is listed twice in " + texts);
        return new Values(texts);
    }

    private static String text(Object v) {
        if (v instanceof List<?> l) { // an int-list key (hidden): [40, 40] as "40,40"
            return String.join(",", l.stream().map(String::valueOf).toList());
        }
        return String.valueOf(v);
    }

    private static double[] range(String where, Object arg) {
        if (!(arg instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Number) || !(l.get(1) instanceof Number)) {
            throw new ConfigException(where + ": expected [lo, hi] with two numbers, got " + arg);
        }
        double lo = ((Number) l.get(0)).doubleValue();
        double hi = ((Number) l.get(1)).doubleValue();
        if (!(lo < hi)) throw new ConfigException(String.format(Locale.ROOT, "%s: low %s must be below high %s", where, l.get(0), l.get(1)));
        return new double[]{lo, hi};
    }

    private static Real real(ConfigKey<?> key, String where, double[] r, boolean log) {
        if (key.type() != ConfigKey.Type.DOUBLE) {
            throw new ConfigException(where + ": a real range needs a real-valued key; " + key.name() + " takes " + key.expected()
                    + (key.type() == ConfigKey.Type.INT || key.type() == ConfigKey.Type.LONG ? " (use {int: [lo, hi]})" : ""));
        }
        if (log && r[0] <= 0) {
            throw new ConfigException(where + ".log_uniform: the range [" + r[0] + ", " + r[1] + "] must be above 0 for a log scale");
        }
        key.parse(Double.toString(r[0]));
        key.parse(Double.toString(r[1]));
        return new Real(r[0], r[1], log);
    }

    private static Whole whole(ConfigKey<?> key, String where, double[] r) {
        if (key.type() != ConfigKey.Type.INT && key.type() != ConfigKey.Type.LONG) {
            throw new ConfigException(where + ".int: " + key.name() + " is not an integer key (it takes " + key.expected() + ")");
        }
        if (r[0] != Math.rint(r[0]) || r[1] != Math.rint(r[1])) throw new ConfigException(where + ".int: the ends must be integers");
        key.parse(Long.toString((long) r[0]));
        key.parse(Long.toString((long) r[1]));
        return new Whole((long) r[0], (long) r[1]);
    }
}
