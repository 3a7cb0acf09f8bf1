package ai.metaspark.algo;

import ai.metaspark.config.Keys;
import ai.metaspark.config.RunConfig;

/** The algorithm a configuration names. */
public final class Algorithms {
    private Algorithms() {
    }

    /** The algorithm of {@code c} (not ANIL, which needs the network: use the 2-argument form). */
    public static MetaAlgorithm fromConfig(RunConfig c) {
        return fromConfig(c, null);
    }

    /** The algorithm of {@code c} for the network {@code model} (ANIL needs its head offset). */
    public static MetaAlgorithm fromConfig(RunConfig c, ai.metaspark.model.NetworkSpec model) {
        int k = c.getInt(Keys.INNER_STEPS);
        double lr = c.getDouble(Keys.INNER_LR);
        String name = c.get(Keys.ALGORITHM);
        switch (name) {
            case "maml":
            case "fomaml":
                return new Maml(k, lr, name.equals("fomaml"), c.isOn(Keys.MSL), c.getInt(Keys.MSL_ANNEAL_STEPS),
                        c.getInt(Keys.FIRST_ORDER_STEPS), model, c.isOn(Keys.LSLR), c.isOn(Keys.PER_STEP_BN));
            case "reptile": return new Reptile(k, lr);
            case "metasgd": return new MetaSgd(k, lr);
            case "pretrain": return new Pretrain(k, lr);
            case "protonet": return new ProtoNet();
            case "anil":
                if (model == null) throw new IllegalArgumentException("anil needs the network (its head offset)");
                return new Anil(k, lr, model.headOffset());
            default: throw new IllegalArgumentException("unknown algorithm '" + name + "'");
        }
    }
}
