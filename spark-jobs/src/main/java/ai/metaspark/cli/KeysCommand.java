package ai.metaspark.cli;

import ai.metaspark.config.ConfigKey;
import ai.metaspark.config.Keys;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code metaspark keys}: every config key with its default and meaning, as a Markdown table. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "List every config key, its default and meaning (Markdown).")
public final class KeysCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("| key | default | allowed | meaning |");
        System.out.println("| --- | --- | --- | --- |");
        for (ConfigKey<?> k : Keys.all().values()) {
            System.out.printf("| `%s` | `%s` | %s | %s |%n", k.name(), k.defaultValue(), k.expected(), k.doc());
        }
        return ExitCodes.OK;
    }
}
