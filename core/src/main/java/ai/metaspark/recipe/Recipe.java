package ai.metaspark.recipe;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;
import ai.metaspark.io.Files;
import ai.metaspark.train.Experiment;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recipe: the resolved configuration of one run (every key, defaults included), as the user wrote it in YAML and
 * {@code --set} overrides. It is what a run folder stores and compares on resume, and {@link #experiment()} turns it
 * into the typed {@link Experiment} that training runs. Immutable.
 */
public record Recipe(RunConfig config) implements java.io.Serializable {

    /** The recipe of a validated configuration. */
    public static Recipe of(RunConfig config) {
        return new Recipe(config);
    }

    /** The defaults: the MAML paper's sinusoid setting. */
    public static Recipe defaults() {
        return new Recipe(RunConfig.defaults());
    }

    /** Reads the YAML recipe at {@code location} (any Hadoop path) and applies {@code KEY=VALUE} overrides. */
    public static Recipe read(String location, List<String> overrides) {
        FileSystem fs = Files.fileSystem(location);
        try (InputStream in = fs.open(new Path(location))) {
            return new Recipe(RunConfig.fromYaml(in, location, overrides));
        } catch (FileNotFoundException e) {
            throw new ConfigException("config file not found: " + location);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + location + ": " + e.getMessage(), e);
        }
    }

    /** A recipe stored as a map (a checkpoint's {@code config}). */
    public static Recipe fromMap(Map<String, ?> values) {
        return new Recipe(RunConfig.of(values, List.of()));
    }

    /** This recipe with {@code KEY=VALUE} overrides applied. */
    public Recipe with(String... overrides) {
        return new Recipe(config.with(overrides));
    }

    /** The typed experiment, validated and with one task of each split drawn (see {@link Experiments#build}). */
    public Experiment experiment() {
        return Experiments.build(config);
    }

    /** The task family's name (the {@code task} value). */
    public String task() {
        return config.get(Keys.TASK);
    }

    /** The schedule's length in meta-steps (the {@code meta_steps} value). */
    public int metaSteps() {
        return config.getInt(Keys.META_STEPS);
    }

    /** The resolved data folder the task family reads, if it reads one. */
    public Optional<String> dataLocation() {
        return Families.named(task()).dataLocation(familyKeys());
    }

    /** The settings of this recipe's task family, as its provider reads them. */
    public FamilyKeys familyKeys() {
        return new FamilyKeys(Families.named(task()), config);
    }

    /** Every key and value, in declaration order. */
    public Map<String, Object> asMap() {
        return config.asMap();
    }

    /** The recipe as YAML, every key included. */
    public String yaml() {
        return config.toYaml();
    }

    /**
     * The results-relevant keys whose values differ from {@code stored}'s, as {@code "key: this vs stored"}; empty
     * when both give the same results (operational keys such as threads may differ).
     */
    public List<String> resultDifferences(Recipe stored) {
        return config.resultDifferences(stored.config);
    }
}
