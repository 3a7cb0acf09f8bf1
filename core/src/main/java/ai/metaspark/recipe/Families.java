package ai.metaspark.recipe;

import ai.metaspark.config.ConfigException;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The task families registered through {@link TaskFamilyProvider}, by name. */
public final class Families {
    private static final Map<String, TaskFamilyProvider> BY_NAME = load();

    private Families() {
    }

    /** The provider of {@code task}; refuses a name no provider registered, listing the registered ones. */
    public static TaskFamilyProvider named(String task) {
        TaskFamilyProvider p = BY_NAME.get(task);
        if (p == null) {
            throw new ConfigException("task: unknown task family '" + task + "' (registered: "
                    + String.join(", ", BY_NAME.keySet()) + ")");
        }
        return p;
    }

    /** The registered family names, sorted. */
    public static Iterable<String> names() {
        return BY_NAME.keySet();
    }

    private static Map<String, TaskFamilyProvider> load() {
        Map<String, TaskFamilyProvider> out = new TreeMap<>();
        for (TaskFamilyProvider p : ServiceLoader.load(TaskFamilyProvider.class, Families.class.getClassLoader())) {
            TaskFamilyProvider before = out.put(p.name(), p);
            if (before != null) {
                throw new IllegalStateException("two task families are registered as '" + p.name() + "': "
                        + before.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return out;
    }
}
