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
            case "maml", "fomaml" -> new Maml(mamlOptions(spec, network));
            case "metasgd" -> new Maml(new Maml.Options(k, InnerRule.perParameter(network.numParams(), lr),
                    StepBatchNorm.none(), null, false, 0));
            case "reptile" -> new Reptile(k, lr);
            case "pretrain" -> new Pretrain(k, lr);
            case "protonet" -> new ProtoNet();
            case "anil" -> new Anil(k, lr, network.headOffset());
            default -> throw new IllegalArgumentException("unknown algorithm '" + spec.name() + "'");
        };
    }

    /** MAML or first-order MAML with the MAML++ options {@code spec} switches on. */
    private static Maml.Options mamlOptions(AlgorithmSpec spec, NetworkSpec network) {
        int k = spec.innerSteps();
        StepBatchNorm bn = spec.perStepBn() ? StepBatchNorm.of(network, k) : StepBatchNorm.none();
        InnerRule rule = spec.lslr() || spec.perStepBn()
                ? new PerTensorRates(network.paramGroups(), network.numParams(), k, spec.innerLr(), spec.lslr(),
                        spec.perStepBn(), network.numParams() + bn.extraLength())
                : InnerRule.sgd(spec.innerLr());
        return new Maml.Options(k, rule, bn, spec.multiStepLoss() ? new MultiStepLoss(spec.mslAnnealSteps()) : null,
                spec.name().equals("fomaml"), spec.firstOrderSteps());
    }
}
