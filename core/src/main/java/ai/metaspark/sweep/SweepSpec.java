package ai.metaspark.sweep;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.ConfigKey;
import ai.metaspark.config.Keys;
import ai.metaspark.io.Files;
import ai.metaspark.recipe.Recipe;
import ai.metaspark.task.Seeds;
import ai.metaspark.task.Split;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A sweep file, validated: the base recipe (with the {@code set} overrides every trial shares), the search space,
 * the scheduler and its budgets, the metric and its direction. Every problem is found before any trial starts and
 * named in a {@link ConfigException}.
 *
 * @param source    where the sweep file was read
 * @param text      the sweep file as written (stored in the sweep folder; a resume must give the same)
 * @param base      the base recipe with {@code set} applied
 * @param space     the swept keys and their domains, in file order
 * @param scheduler how trials are drawn and budgeted
 * @param trials    trials drawn (random, halving, asha); the grid's size for grid
 * @param seed      the sweep seed: trial values and trial seeds derive from it and the trial id
 * @param metric    the split the metric is measured on (validation: {@code val_tasks} tasks; test: {@code eval_tasks})
 * @param direction "min", "max", or "auto" (mse is minimized, accuracy maximized)
 * @param eta       halving's reduction factor: the best 1/eta of a rung go on
 * @param minBudget the first rung's budget in meta-steps (halving, asha)
 * @param maxBudget the last rung's budget, and every trial's schedule length ({@code meta_steps})
 * @param threads   threads per trial
 */
public record SweepSpec(String source, String text, Recipe base, Map<String, Domain> space, Scheduler scheduler, int trials,
                        long seed, Split metric, String direction, int eta, int minBudget, int maxBudget, int threads) {

    /** How trials are drawn and given budgets. */
    public enum Scheduler {
        GRID, RANDOM, HALVING, ASHA;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Set<String> FILE_KEYS = Set.of("base", "set", "space", "scheduler", "trials", "seed", "metric",
            "direction", "eta", "min_budget", "max_budget", "threads");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final long VALUES = 1;
    private static final long SEEDS = 2;

    /** Reads and validates the sweep file at {@code location} (any Hadoop path). */
    public static SweepSpec read(String location) {
        FileSystem fs = Files.fileSystem(location);
        String text;
        try (InputStream in = fs.open(new Path(location))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            throw new ConfigException("sweep file not found: " + location);
        } catch (IOException e) {
            throw new ConfigException("cannot read sweep file " + location + ": " + e.getMessage(), e);
        }
        return parse(location, text);
    }

    /** Validates a sweep file's text. */
    @SuppressWarnings("unchecked")
    public static SweepSpec parse(String source, String text) {
        Map<String, Object> raw;
        try {
            raw = text.isBlank() ? null : YAML.readValue(text, LinkedHashMap.class);
        } catch (IOException e) {
            throw new ConfigException("sweep file " + source + " is not a YAML mapping: " + e.getMessage(), e);
        }
        if (raw == null) throw new ConfigException("sweep file " + source + " is empty");
        for (String k : raw.keySet()) {
            if (!FILE_KEYS.contains(k)) throw new ConfigException("sweep file " + source + ": unknown key '" + k + "' (known: " + String.join(", ", FILE_KEYS.stream().sorted().toList()) + ")");
        }
        if (!(raw.get("base") instanceof String baseFile)) throw new ConfigException("sweep file " + source + ": 'base' (the recipe the trials start from) is missing");
        Map<String, Object> set = mapping(raw, "set");
        Map<String, Object> spaceRaw = mapping(raw, "space");
        for (String k : set.keySet()) refuseReserved("set", k);
        List<String> fixed = new ArrayList<>();
        set.forEach((k, v) -> fixed.add(k + "=" + (v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : v)));
        Recipe base = Recipe.read(baseFile, fixed);
        Map<String, Domain> space = space(spaceRaw);
        Scheduler scheduler = scheduler(raw.getOrDefault("scheduler", "random"));
        int trials = trials(raw, scheduler, space);
        int maxBudget = positive(raw, "max_budget", base.metaSteps());
        int eta = positive(raw, "eta", 3);
        if (eta < 2) throw new ConfigException("sweep: eta " + eta + " must be at least 2 (the best 1/eta of a rung go on)");
        boolean rungs = scheduler == Scheduler.HALVING || scheduler == Scheduler.ASHA;
        if (!rungs) {
            for (String k : List.of("eta", "min_budget")) {
                if (raw.containsKey(k)) throw new ConfigException("sweep: '" + k + "' is for halving and asha, not " + scheduler.label());
            }
        }
        int minBudget = rungs ? positive(raw, "min_budget", Math.max(1, maxBudget / (eta * eta))) : maxBudget;
        if (minBudget > maxBudget) {
            throw new ConfigException("sweep: min_budget " + minBudget + " is larger than max_budget " + maxBudget + " (meta-steps)");
        }
        String direction = String.valueOf(raw.getOrDefault("direction", "auto"));
        if (!List.of("min", "max", "auto").contains(direction)) throw new ConfigException("sweep: direction '" + direction + "' must be min, max or auto");
        String metric = String.valueOf(raw.getOrDefault("metric", "validation"));
        Split split = switch (metric) {
            case "validation" -> Split.VALIDATION;
            case "test" -> Split.TEST;
            default -> throw new ConfigException("sweep: metric '" + metric + "' must be validation (meta-validation mean) or test (meta-test mean)");
        };
        long seed = raw.containsKey("seed") ? whole(raw, "seed") : 1L;
        int threads = positive(raw, "threads", 1);
        return new SweepSpec(source, text, base, space, scheduler, trials, seed, split, direction, eta, minBudget, maxBudget, threads);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Map<String, Object> raw, String name) {
        Object v = raw.get(name);
        if (v == null) return Map.of();
        if (!(v instanceof Map<?, ?> m)) throw new ConfigException("sweep: '" + name + "' must be a mapping of recipe keys, got " + v);
        return (Map<String, Object>) m;
    }

    private static void refuseReserved(String where, String key) {
        if (key.equals(Keys.SEED.name())) {
            throw new ConfigException("sweep: " + where + "." + key + ": each trial's seed derives from the sweep's seed and the trial id; set the sweep's 'seed' instead");
        }
        if (!Keys.all().containsKey(key)) {
            throw new ConfigException("sweep: " + where + ": unknown config key '" + key + "' (known keys: " + String.join(", ", Keys.all().keySet()) + ")");
        }
    }

    private static Map<String, Domain> space(Map<String, Object> raw) {
        if (raw.isEmpty()) throw new ConfigException("sweep: the search space is empty (give 'space' at least one recipe key)");
        Map<String, Domain> space = new LinkedHashMap<>();
        for (var e : raw.entrySet()) {
            refuseReserved("space", e.getKey());
            if (e.getKey().equals(Keys.META_STEPS.name())) {
                throw new ConfigException("sweep: space.meta_steps: the budget is the scheduler's (max_budget, and min_budget for halving)");
            }
            ConfigKey<?> key = Keys.all().get(e.getKey());
            space.put(e.getKey(), Domain.parse(key, e.getValue()));
        }
        return space;
    }

    private static Scheduler scheduler(Object v) {
        try {
            return Scheduler.valueOf(String.valueOf(v).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sweep: scheduler '" + v + "' must be grid, random, halving or asha");
        }
    }

    private static int trials(Map<String, Object> raw, Scheduler scheduler, Map<String, Domain> space) {
        if (scheduler != Scheduler.GRID) return positive(raw, "trials", 16);
        if (raw.containsKey("trials")) throw new ConfigException("sweep: 'trials' is not for grid: a grid runs every combination of its values");
        long size = 1;
        for (var e : space.entrySet()) {
            if (e.getValue().values().isEmpty()) {
                throw new ConfigException("sweep: space." + e.getKey() + " is a range; a grid needs a list of values (or use scheduler random)");
            }
            size *= e.getValue().values().size();
            if (size > 100_000) throw new ConfigException("sweep: the grid has more than 100,000 combinations");
        }
        return (int) size;
    }

    private static int positive(Map<String, Object> raw, String name, int otherwise) {
        if (!raw.containsKey(name)) return otherwise;
        long v = whole(raw, name);
        if (v < 1 || v > Integer.MAX_VALUE) throw new ConfigException("sweep: " + name + " " + raw.get(name) + " must be a positive integer");
        return (int) v;
    }

    private static long whole(Map<String, Object> raw, String name) {
        Object v = raw.get(name);
        if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
        throw new ConfigException("sweep: " + name + " '" + v + "' must be an integer");
    }

    /**
     * The trials, in id order: the grid's combinations (the first key varies slowest), or draws from the space; each
     * trial's values and seed derive from the sweep seed and its id alone.
     */
    public List<Trial> trialList() {
        List<Trial> out = new ArrayList<>();
        for (int id = 0; id < trials; id++) out.add(trial(id));
        return out;
    }

    private Trial trial(int id) {
        Map<String, String> values = new LinkedHashMap<>();
        if (scheduler == Scheduler.GRID) {
            int rest = id;
            List<String> keys = new ArrayList<>(space.keySet());
            for (int i = keys.size() - 1; i >= 0; i--) {
                List<String> axis = space.get(keys.get(i)).values();
                values.put(keys.get(i), axis.get(rest % axis.size()));
                rest /= axis.size();
            }
            Map<String, String> ordered = new LinkedHashMap<>();
            for (String k : keys) ordered.put(k, values.get(k));
            values = ordered;
        } else {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, VALUES, id));
            for (var e : space.entrySet()) values.put(e.getKey(), e.getValue().sample(rng));
        }
        return new Trial(id, values, Seeds.derive(seed, SEEDS, id) >>> 1);
    }

    /** The recipe a trial trains: the base, its values, its seed, the whole budget as the schedule, the sweep's threads. */
    public Recipe recipe(Trial trial) {
        List<String> overrides = new ArrayList<>();
        trial.values().forEach((k, v) -> overrides.add(k + "=" + v));
        overrides.add(Keys.SEED.name() + "=" + trial.seed());
        overrides.add(Keys.META_STEPS.name() + "=" + maxBudget);
        overrides.add(Keys.THREADS.name() + "=" + threads);
        return base.with(overrides.toArray(String[]::new));
    }

    /** The rungs' budgets in meta-steps: one (max_budget) for grid and random. */
    public List<Integer> budgets() {
        return scheduler == Scheduler.HALVING || scheduler == Scheduler.ASHA ? Halving.budgets(minBudget, maxBudget, eta) : List.of(maxBudget);
    }
}
