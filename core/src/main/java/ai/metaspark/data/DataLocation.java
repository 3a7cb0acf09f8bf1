package ai.metaspark.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where a data set named in a recipe lives. A URI with a scheme ({@code file:}, {@code hdfs:}...) or an absolute path
 * is taken as it is; a relative path is resolved against the project root: {@code $METASPARK_HOME} (bin/metaspark
 * exports it), else the system property {@code metaspark.home}, else the nearest folder at or above the working
 * directory holding {@code bin/metaspark}, else the working directory.
 */
public final class DataLocation {
    private DataLocation() {
    }

    /** The location {@code data} names, resolved as the class comment says. */
    public static String resolve(String data) {
        if (data.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) return data;
        Path p = Paths.get(data);
        if (p.isAbsolute()) return p.normalize().toString();
        return projectRoot().resolve(p).toAbsolutePath().normalize().toString();
    }

    /** The project root relative data locations are resolved against. */
    public static Path projectRoot() {
        String home = System.getenv("METASPARK_HOME");
        if (home == null || home.isBlank()) home = System.getProperty("metaspark.home");
        if (home != null && !home.isBlank()) return Paths.get(home);
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path d = cwd; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bin").resolve("metaspark"))) return d;
        }
        return cwd;
    }
}
