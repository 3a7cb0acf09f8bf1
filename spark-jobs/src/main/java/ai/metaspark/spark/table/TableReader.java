package ai.metaspark.spark.table;

import ai.metaspark.config.ConfigException;
import ai.metaspark.data.DataException;
import ai.metaspark.data.table.TableSpec;
import ai.metaspark.io.Files;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;

/**
 * Reads a table with Spark SQL as rows of (key {@code k} as text, features {@code x} as an array of doubles, label
 * {@code y} as a double), refusing what cannot become tasks before anything is written: a missing column, a feature
 * or label that is not numeric, a missing, NaN or infinite value, a CSV row with more or fewer fields than the header.
 */
final class TableReader {
    static final String KEY = "k";
    static final String FEATURES = "x";
    static final String LABEL = "y";
    private static final String CORRUPT = "_metaspark_corrupt_record";
    private final SparkSession spark;
    private final TableSpec spec;
    private final List<FileStatus> files;
    private final String format;

    TableReader(SparkSession spark, TableSpec spec, List<FileStatus> files) {
        this.spark = spark;
        this.spec = spec;
        this.files = files;
        this.format = spec.resolvedFormat(files);
    }

    /** The format the table is read in (parquet or csv). */
    String format() {
        return format;
    }

    /** The table as (k, x, y) rows, checked, and the feature names in the order of x. */
    Read read() {
        Dataset<Row> raw = format.equals("csv") ? csv() : source().parquet(paths());
        StructType schema = raw.schema();
        column(schema, spec.keyColumn(), "task_key");
        numeric(column(schema, spec.label(), "label"), "label");
        List<String> names = new ArrayList<>();
        Column x = features(schema, names);
        if (format.equals("csv")) refuseText(raw, names);
        Dataset<Row> rows = raw.select(col(q(spec.keyColumn())).cast("string").as(KEY), x.as(FEATURES),
                col(q(spec.label())).cast("double").plus(0.0).as(LABEL)); // + 0.0: -0.0 and 0.0 are one label
        refuseMissingValues(rows, names);
        if (names.isEmpty()) arrayNames(rows, names);
        return new Read(rows, List.copyOf(names));
    }

    /** The rows, and the names of their features. */
    record Read(Dataset<Row> rows, List<String> features) {
    }

    private org.apache.spark.sql.DataFrameReader source() {
        org.apache.spark.sql.DataFrameReader r = spark.read();
        try { // a folder's files keep the columns of their partition folders (date=2026-12-06/...)
            boolean folder = Files.fileSystem(spec.location()).getFileStatus(new Path(spec.location())).isDirectory();
            return folder ? r.option("basePath", spec.location()) : r;
        } catch (IOException e) {
            throw new DataException("cannot read table " + spec.location() + ": " + e.getMessage(), e);
        }
    }

    private String[] paths() {
        return files.stream().map(f -> f.getPath().toString()).toArray(String[]::new);
    }

    /**
     * CSV with a header, every column as text (numbers are parsed where a column is used, so that a value that is not
     * one can be named); malformed (ragged) lines kept aside to name one.
     */
    private Dataset<Row> csv() {
        StructType inferred = source().option("header", "true").csv(paths()).schema();
        Dataset<Row> all = source().option("header", "true").option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .schema(inferred.add(CORRUPT, DataTypes.StringType)).csv(paths())
                .withColumn("_metaspark_file", input_file_name());
        // every column selected: with fewer, Spark parses (and checks) only those, and a ragged line passes
        List<Row> bad = all.filter(col(CORRUPT).isNotNull()).limit(1).collectAsList();
        if (!bad.isEmpty()) {
            Row r = bad.get(0);
            throw new DataException("table " + spec.location() + ": file " + r.getString(r.fieldIndex("_metaspark_file"))
                    + " has a line whose fields do not match its header's " + inferred.size() + " columns: '"
                    + r.getString(r.fieldIndex(CORRUPT)).strip() + "' (a ragged row; fix or remove it)");
        }
        return all.drop(CORRUPT, "_metaspark_file");
    }

    private StructField column(StructType schema, String name, String key) {
        for (StructField f : schema.fields()) if (f.name().equals(name)) return f;
        throw new ConfigException("config key '" + key + "': table " + spec.location() + " has no column '" + name
                + "' (its columns: " + String.join(", ", schema.fieldNames()) + ")");
    }

    private void numeric(StructField f, String role) {
        if (!(f.dataType() instanceof NumericType) && !(format.equals("csv") && f.dataType() == DataTypes.StringType)) {
            throw new DataException("table " + spec.location() + ": " + role + " column '" + f.name() + "' is "
                    + f.dataType().simpleString() + ", not numeric");
        }
    }

    /** The features as one array column: the named numeric columns, or one array or ML vector column. */
    private Column features(StructType schema, List<String> names) {
        List<String> wanted = spec.features().isEmpty() ? allNumeric(schema) : spec.features();
        if (wanted.size() == 1 && !format.equals("csv")) {
            StructField f = column(schema, wanted.get(0), "features");
            if (!(f.dataType() instanceof NumericType)) return arrayColumn(f, names);
        }
        List<Column> cols = new ArrayList<>();
        for (String name : wanted) {
            StructField f = column(schema, name, "features");
            numeric(f, "feature");
            names.add(name);
            cols.add(col(q(name)).cast("double"));
        }
        return array(cols.toArray(new Column[0]));
    }

    private List<String> allNumeric(StructType schema) {
        List<String> out = new ArrayList<>();
        for (StructField f : schema.fields()) {
            boolean number = f.dataType() instanceof NumericType || format.equals("csv");
            if (number && !f.name().equals(spec.keyColumn()) && !f.name().equals(spec.label())) {
                out.add(f.name());
            }
        }
        if (out.isEmpty()) {
            throw new DataException("table " + spec.location() + " has no numeric column besides task_key '"
                    + spec.keyColumn() + "' and label '" + spec.label() + "' to use as features (its columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        return out;
    }

    /**
     * An array of numbers, or an ML vector (Spark ML's VectorUDT, or its stored struct of type, size, indices and
     * values): its elements are the features, named {@code name[i]}, as many as the first row has.
     */
    private Column arrayColumn(StructField f, List<String> names) {
        DataType t = f.dataType();
        Column c;
        if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
            c = col(q(f.name())).cast("array<double>");
        } else if (t.typeName().equals("vector")) { // Spark ML's VectorUDT: its own conversion (Spark ML is on clusters)
            c = vectorToArray(col(q(f.name())));
        } else if (isVectorStruct(t)) { // a vector as Parquet stores it, read without Spark ML: dense (1) or sparse (0)
            String v = q(f.name());
            c = expr("IF(" + v + ".type = 1, " + v + ".values, transform(sequence(0, " + v + ".size - 1), "
                    + "i -> coalesce(element_at(map_from_arrays(" + v + ".indices, " + v + ".values), i), 0D)))");
        } else {
            throw new DataException("table " + spec.location() + ": feature column '" + f.name() + "' is "
                    + t.simpleString() + ", not numeric, an array of numbers or a vector");
        }
        return c;
    }

    /** The element names of an array or vector feature column, whose rows must all have one length. */
    private void arrayNames(Dataset<Row> rows, List<String> names) {
        Row r = rows.agg(min(size(col(FEATURES))), max(size(col(FEATURES)))).first();
        String column = spec.features().get(0);
        if (r.isNullAt(0) || r.getInt(0) != r.getInt(1) || r.getInt(0) < 1) {
            throw new DataException("table " + spec.location() + ": feature column '" + column + "' holds "
                    + (r.isNullAt(0) ? "no values" : "arrays of " + r.get(0) + " to " + r.get(1) + " elements")
                    + "; every row needs the same number of features, at least 1");
        }
        for (int i = 0; i < r.getInt(0); i++) names.add(column + "[" + i + "]");
    }

    private Column vectorToArray(Column vector) {
        try {
            return (Column) Class.forName("org.apache.spark.ml.functions").getMethod("vector_to_array", Column.class, String.class)
                    .invoke(null, vector, "float64");
        } catch (ReflectiveOperationException e) {
            throw new DataException("table " + spec.location() + ": cannot convert its vector column to features: " + e);
        }
    }

    private static boolean isVectorStruct(DataType t) {
        if (!(t instanceof StructType s)) return false;
        List<String> fields = Arrays.asList(s.fieldNames());
        return fields.containsAll(List.of("type", "size", "indices", "values"));
    }

    /** A CSV value, in a feature or label column, that is not a number stops the preparation naming it. */
    private void refuseText(Dataset<Row> raw, List<String> features) {
        List<String> used = new ArrayList<>(features);
        used.add(spec.label());
        Column bad = null;
        for (String c : used) {
            Column text = col(q(c)).isNotNull().and(col(q(c)).cast("double").isNull());
            bad = bad == null ? text : bad.or(text);
        }
        List<Row> found = raw.filter(bad).limit(1).collectAsList();
        if (found.isEmpty()) return;
        Row r = found.get(0);
        for (String c : used) {
            Object v = r.get(r.fieldIndex(c));
            if (v == null || parses(v.toString())) continue;
            String role = c.equals(spec.label()) && !features.contains(c) ? "label" : "feature";
            throw new DataException("table " + spec.location() + ": " + role + " column '" + c + "' is not numeric: its value '"
                    + v + "' (key '" + r.get(r.fieldIndex(spec.keyColumn())) + "') is not a number");
        }
    }

    private static boolean parses(String s) {
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A row with no key, or a missing, NaN or infinite feature or label, stops the preparation naming it. */
    private void refuseMissingValues(Dataset<Row> rows, List<String> names) {
        String bad = "NOT (y IS NOT NULL AND NOT isnan(y) AND abs(y) < double('Infinity') AND x IS NOT NULL "
                + "AND forall(x, v -> v IS NOT NULL AND NOT isnan(v) AND abs(v) < double('Infinity')))";
        List<Row> found = rows.filter(col(KEY).isNull().or(expr(bad))).limit(1).collectAsList();
        if (found.isEmpty()) return;
        Row r = found.get(0);
        String where = r.isNullAt(0) ? "a row has no " + spec.keyColumn() + " (task_key)"
                : "a row of key '" + r.getString(0) + "' has " + badValue(r, names);
        throw new DataException("table " + spec.location() + ": " + where + "; drop or fill such rows first");
    }

    private String badValue(Row r, List<String> names) {
        if (r.isNullAt(2) || !Double.isFinite(r.getDouble(2))) return value(r.isNullAt(2) ? null : r.get(2)) + " in label column '" + spec.label() + "'";
        if (r.isNullAt(1)) return "no features (a null array)";
        List<Object> x = r.getList(1);
        for (int i = 0; i < x.size(); i++) {
            Object v = x.get(i);
            if (v == null || !Double.isFinite((Double) v)) {
                String name = i < names.size() ? names.get(i) : spec.features().get(0) + "[" + i + "]";
                return value(v) + " in feature column '" + name + "'";
            }
        }
        return "a bad value";
    }

    private static String value(Object v) {
        return v == null ? "no value" : "the value " + v;
    }

    /** A column name quoted for Spark SQL (dots and spaces kept). */
    static String q(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s, %d files)", spec.location(), format, files.size());
    }
}
