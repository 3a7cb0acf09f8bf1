package ai.metaspark.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The {@code --set KEY=VALUE} option, shared by the commands that take a configuration. */
final class ConfigOverrides {
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    List<String> values = new ArrayList<>();
}
