package ai.metaspark.model.conv;

import org.nd4j.linalg.factory.Nd4j;

/**
 * What computes a {@link Conv4Classifier}'s passes. The {@code backend} key names it with the names it has for MLPs:
 * {@code fast} is oneDNN (the hand-built CPU path), {@code dl4j} the ND4J operations (the DL4J stack, which runs on
 * ND4J's CUDA backend when that is on the class path), and {@code auto} picks ND4J when ND4J runs on a GPU, oneDNN
 * otherwise.
 */
public enum Conv4Backend {
    /** oneDNN primitives on the CPU ({@link Conv4Net}). */
    ONEDNN,
    /** ND4J operations ({@link Nd4jConv4Net}) on whichever ND4J backend is loaded: the CPU, or a GPU through nd4j-cuda. */
    ND4J;

    /** The backend a {@code backend} key's value selects: fast, dl4j, or auto (as the class comment says). */
    public static Conv4Backend named(String backend) {
        return switch (backend) {
            case "fast" -> ONEDNN;
            case "dl4j" -> ND4J;
            case "auto" -> nd4jOnGpu() ? ND4J : ONEDNN;
            default -> throw new IllegalArgumentException("unknown backend '" + backend + "' (expected auto, fast or dl4j)");
        };
    }

    /** Whether ND4J runs on a GPU: its CUDA backend is loaded and sees a device. */
    public static boolean nd4jOnGpu() {
        return !Nd4j.getEnvironment().isCPU() && Nd4j.getAffinityManager().getNumberOfDevices() > 0;
    }

    /** What ND4J computes on, for the start-up line and the provenance: "CPU", or "CUDA, 2 devices". */
    public static String nd4jCompute() {
        if (Nd4j.getEnvironment().isCPU()) return "CPU";
        int n = Nd4j.getAffinityManager().getNumberOfDevices();
        return "CUDA, " + n + (n == 1 ? " device" : " devices");
    }

    /** This backend as the start-up line names it. */
    public String describe() {
        return this == ONEDNN ? "fast (Conv-4 on oneDNN, CPU)" : "dl4j (Conv-4 on ND4J operations, " + nd4jCompute() + ")";
    }

    Conv4Passes create(Conv4Spec spec) {
        return this == ONEDNN ? new Conv4Net(spec) : new Nd4jConv4Net(spec);
    }
}
