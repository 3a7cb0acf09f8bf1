package ai.metaspark.data.table;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.ConfigKey;
import ai.metaspark.config.Keys;
import ai.metaspark.data.DataException;
import ai.metaspark.data.DataLocation;
import ai.metaspark.io.Files;
import ai.metaspark.recipe.FamilyKeys;
import ai.metaspark.recipe.TaskFamilyProvider;
import ai.metaspark.task.TaskFamily;

import java.util.Optional;
import java.util.Set;

/**
 * {@code task: table}: one regression or classification task ({@code objective}) per value of {@code task_key} in the
 * table {@code data}, its {@code features} and {@code label} columns; keys split by {@code class_split} fractions and
 * {@code split_seed}; a training key needs {@code k_shot + k_query} rows, a held-out key {@code k_shot + eval_query}.
 * The table must have been prepared (spark-jobs does it before a run, with Spark SQL): this provider reads its index.
 */
public final class TableProvider implements TaskFamilyProvider {
    @Override
    public String name() {
        return "table";
    }

    @Override
    public Set<ConfigKey<?>> keys() {
        return Set.of(Keys.DATA, Keys.CLASS_SPLIT, Keys.SPLIT_SEED, Keys.TABLE_FORMAT, Keys.TASK_KEY, Keys.FEATURES,
                Keys.LABEL, Keys.OBJECTIVE, Keys.K_SHOT, Keys.K_QUERY, Keys.EVAL_QUERY, Keys.TABLE_CACHE);
    }

    @Override
    public TaskFamily family(FamilyKeys keys) {
        TableSpec spec = spec(keys);
        String prepared = spec.preparedFolder();
        TableIndex index = TableIndex.read(prepared).orElseThrow(() -> new DataException("table " + spec.location()
                + " is not prepared (no " + prepared + "/index.json); bin/metaspark train, evaluate and sweep "
                + "prepare it with Spark SQL before they start"));
        return new TableFamily(spec, prepared, index);
    }

    /** The table settings of {@code keys}, with the data and cache locations resolved. */
    public static TableSpec spec(FamilyKeys keys) {
        String split = keys.get(Keys.CLASS_SPLIT);
        double[] fractions = Keys.classSplitFractions(split).orElseThrow(() -> new ConfigException(
                "config key 'class_split': bad value '" + split + "' (task table splits its keys by fractions: "
                        + "train,val,test summing to 1; list files are for image folders)"));
        String location = DataLocation.resolve(keys.get(Keys.DATA));
        int k = keys.getInt(Keys.K_SHOT);
        return new TableSpec(location, keys.get(Keys.TABLE_FORMAT), keys.get(Keys.TASK_KEY), keys.get(Keys.FEATURES),
                keys.get(Keys.LABEL), keys.get(Keys.OBJECTIVE).equals("classification"), fractions,
                keys.get(Keys.SPLIT_SEED), new TableSpec.MinRows(k + keys.getInt(Keys.K_QUERY), k + keys.getInt(Keys.EVAL_QUERY)),
                cache(keys.get(Keys.TABLE_CACHE), location));
    }

    /** {@code table_cache}, or when empty {@code .metaspark/tables} in the home folder of the data's file system. */
    private static String cache(String configured, String location) {
        if (!configured.isEmpty()) return DataLocation.resolve(configured);
        return new org.apache.hadoop.fs.Path(Files.fileSystem(location).getHomeDirectory(), ".metaspark/tables").toString();
    }

    @Override
    public String defaultModel() {
        return "mlp";
    }

    /**
     * None: the data is not checksummed into the provenance, which would read the whole table on the driver. The
     * prepared folder's name (in the run's log) fingerprints the table's files, lengths and modification times.
     */
    @Override
    public Optional<String> dataLocation(FamilyKeys keys) {
        return Optional.empty();
    }
}
