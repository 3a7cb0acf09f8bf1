package ai.metaspark.model;

import java.util.function.Supplier;

/** Chooses a {@link Learner} backend by name: {@code fast}, {@code dl4j}, or {@code auto} (fast for MLPs). */
public final class Learners {
    private Learners() {
    }

    /** A factory of per-thread learners. */
    public static Supplier<Learner> factory(ModelSpec spec, String backend) {
        switch (backend) {
            case "dl4j":
                return () -> new Dl4jLearner(spec);
            case "fast":
            case "auto":
                return () -> new MlpLearner(spec);
            default:
                throw new IllegalArgumentException("unknown backend '" + backend + "' (expected auto, fast or dl4j)");
        }
    }
}
