package ai.metaspark.algo;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;

/** The algorithm a configuration names. */
public final class Algorithms {
    private Algorithms() {
    }

    public static MetaAlgorithm fromConfig(RunConfig c) {
        int k = c.getInt(Keys.INNER_STEPS);
        double lr = c.getDouble(Keys.INNER_LR);
        String name = c.get(Keys.ALGORITHM);
        switch (name) {
            case "maml": return new Maml(k, lr, false);
            case "fomaml": return new Maml(k, lr, true);
            case "reptile": return new Reptile(k, lr);
            case "metasgd": return new MetaSgd(k, lr);
            case "pretrain": return new Pretrain(k, lr);
            default: throw new IllegalArgumentException("unknown algorithm '" + name + "'");
        }
    }
}
