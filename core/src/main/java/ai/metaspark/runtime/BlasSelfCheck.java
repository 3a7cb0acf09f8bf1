package ai.metaspark.runtime;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Start-up check of the native BLAS: a small sgemm and dgemm against a plain-Java reference. OpenBLAS 0.3.19 (in
 * nd4j-native M2.1) with an empty or unknown {@code OPENBLAS_CORETYPE} silently returns wrong dgemm results on
 * AVX-512 CPUs; this refuses to run then, naming the variable to fix.
 */
public final class BlasSelfCheck {
    /** 256 and above is where the wrong kernel showed its error. */
    static final int SIZE = 288;

    private BlasSelfCheck() {
    }

    /** Throws {@link IllegalStateException} with a remedy when sgemm or dgemm disagree with the reference. */
    public static void verify() {
        double sErr = maxRelativeError(DataType.FLOAT);
        double dErr = maxRelativeError(DataType.DOUBLE);
        if (sErr > 1e-3 || dErr > 1e-9) {
            throw new IllegalStateException(String.format(
                    "BLAS self-check failed: sgemm max relative error %.3g, dgemm %.3g (OPENBLAS_CORETYPE=%s, native build: %s). "
                            + "Set OPENBLAS_CORETYPE to a core type this CPU supports (SKYLAKEX with AVX-512, HASWELL with AVX2) "
                            + "or unset it; bin/metaspark sets it for you.",
                    sErr, dErr, System.getenv("OPENBLAS_CORETYPE"), System.getProperty("org.bytedeco.javacpp.platform.extension", "generic")));
        }
    }

    static double maxRelativeError(DataType type) {
        SplittableRandom rng = new SplittableRandom(42);
        int n = SIZE;
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextInt(-8, 9);
            b[i] = rng.nextInt(-8, 9);
        }
        INDArray x = Nd4j.createFromArray(a).reshape('c', n, n).castTo(type);
        INDArray y = Nd4j.createFromArray(b).reshape('c', n, n).castTo(type);
        INDArray z = Nd4j.gemm(x, y, false, false);
        double[] got = z.castTo(DataType.DOUBLE).reshape(n * n).toDoubleVector();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0;
                for (int k = 0; k < n; k++) ref += a[i * n + k] * b[k * n + j];
                worst = Math.max(worst, Math.abs(got[i * n + j] - ref) / Math.max(1, Math.abs(ref)));
            }
        }
        return worst;
    }
}
