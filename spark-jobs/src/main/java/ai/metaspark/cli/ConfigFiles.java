package ai.metaspark.cli;

import ai.metaspark.config.ConfigException;
import ai.metaspark.config.RunConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/** Reads a YAML recipe from any Hadoop path. */
final class ConfigFiles {
    private ConfigFiles() {
    }

    static RunConfig load(String location, List<String> overrides) {
        try {
            FileSystem fs = FileSystem.get(URI.create(location), new Configuration());
            try (InputStream in = fs.open(new Path(location))) {
                return RunConfig.fromYaml(in, location, overrides);
            }
        } catch (FileNotFoundException e) {
            throw new ConfigException("config file not found: " + location);
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof ConfigException ce) throw ce;
            throw new ConfigException("cannot read config file " + location + ": " + e.getMessage(), e);
        }
    }
}
