package ai.metaspark.algo;

import ai.metaspark.model.NetworkSpec;

/** Builds the algorithm an {@link AlgorithmSpec} names, for its network. */
public final class Algorithms {
    private Algorithms() {
    }

    /** The algorithm of {@code spec} for the network {@code network} (ANIL needs its head, LSLR its tensors). */
    public static MetaAlgorithm of(AlgorithmSpec spec, NetworkSpec network) {
        int k = spec.innerSteps();
        double lr = spec.innerLr();
        return switch (spec.name()) {
            case "maml", "fomaml" -> new Maml(k, lr, spec.name().equals("fomaml"), spec.multiStepLoss(),
                    spec.mslAnnealSteps(), spec.firstOrderSteps(), network, spec.lslr(), spec.perStepBn());
            case "reptile" -> new Reptile(k, lr);
            case "metasgd" -> new MetaSgd(k, lr);
            case "pretrain" -> new Pretrain(k, lr);
            case "protonet" -> new ProtoNet();
            case "anil" -> new Anil(k, lr, network.headOffset());
            default -> throw new IllegalArgumentException("unknown algorithm '" + spec.name() + "'");
        };
    }
}
