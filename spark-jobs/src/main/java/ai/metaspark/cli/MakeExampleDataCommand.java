package ai.metaspark.cli;

import ai.metaspark.config.Keys;
import ai.metaspark.spark.table.ExampleTable;
import ai.metaspark.data.DataLocation;
import ai.metaspark.data.imagefolder.ExampleImageFolder;
import ai.metaspark.io.Files;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code metaspark make-example-data KIND --out DIR}: writes a small data set of a kind a task family reads, to try
 * that family in a minute: {@code image-folder} or {@code table} (picocli lists the kinds and refuses any other); a new
 * kind is a new {@link Kind} constant and its case in {@link #call()}.
 */
@Command(name = "make-example-data", mixinStandardHelpOptions = true,
        description = "Write a small example data set to try a task family on: image-folder writes 60 class folders "
                + "of 20 PNGs with train.txt, val.txt and test.txt (Omniglot characters when the Omniglot folder, the "
                + "default of the data key, is there; otherwise procedural glyphs), for conf/image-folder-example.yaml; "
                + "table writes a Parquet table of 2,000 users' rows (per-user functions of shared features), for "
                + "conf/table-personalization-example.yaml.")
public final class MakeExampleDataCommand implements Callable<Integer> {
    /** The kinds of example data, by the name the command line takes. */
    enum Kind {
        IMAGE_FOLDER("image-folder"),
        TABLE("table");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        static Kind of(String label) {
            for (Kind k : values()) if (k.label.equals(label)) return k;
            throw new CommandLine.TypeConversionException("'" + label + "' is not one of " + new Labels());
        }
    }

    /** The kinds' names, for picocli's help and error messages. */
    static final class Labels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Kind.values()).map(k -> k.label).iterator();
        }

        @Override
        public String toString() {
            return "[" + String.join(", ", this) + "]";
        }
    }

    @Parameters(index = "0", paramLabel = "KIND", converter = KindConverter.class, completionCandidates = Labels.class,
            description = "the kind of data: ${COMPLETION-CANDIDATES}")
    Kind kind;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "the folder to write (any Hadoop path); it must not exist or be empty")
    String out;

    /** Turns a command-line name into a {@link Kind}. */
    static final class KindConverter implements CommandLine.ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            return Kind.of(value);
        }
    }

    @Override
    public Integer call() throws IOException {
        switch (kind) {
            case TABLE -> {
                ExampleTable.Written w = ExampleTable.write(out, 1);
                System.out.printf("make-example-data table: %,d rows of %d users (Parquet: user, hour, temperature, "
                        + "price, weekday, label) -> %s%n", w.rows(), w.users(), w.location());
            }
            case IMAGE_FOLDER -> {
                ExampleImageFolder.Written w = ExampleImageFolder.write(out, omniglot());
                System.out.printf("make-example-data image-folder: %d classes x %d images (%s) -> %s%n", w.classes(),
                        w.images(), w.source(), w.location());
            }
        }
        return ExitCodes.OK;
    }

    /** The Omniglot folder the data key's default resolves to (as recipes resolve data), if its zips are there. */
    private static Optional<String> omniglot() throws IOException {
        String location = DataLocation.resolve(Keys.DATA.defaultValue());
        return Files.fileSystem(location).exists(new Path(location, "images_background.zip")) ? Optional.of(location) : Optional.empty();
    }
}
