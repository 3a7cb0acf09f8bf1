package ai.metaspark.model.conv;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The parameters and their gradients in oneDNN memories of the user layouts (conv weights OIHW, gamma and beta as
 * vectors), shared by every batch size's plan. {@link #load} copies a flat vector in, {@link #store} copies the
 * gradients out, both in {@link Conv4Spec}'s flat layout. {@link #version()} changes with each load, so that a plan
 * reorders the weights into its primitives' layouts only then; the network loads only values it does not hold
 * ({@link LoadedParams}): MAML's support passes of one meta-step all run at the same theta.
 */
final class ParamBuffers {
    final memory[] w;
    final memory[] dw;
    final memory[] gamma;
    final memory[] beta;
    final memory[] dgamma;
    final memory[] dbeta;
    private final FloatPointer[] wP;
    private final FloatPointer[] dwP;
    private final FloatPointer[] gammaP;
    private final FloatPointer[] betaP;
    private final FloatPointer[] dgammaP;
    private final FloatPointer[] dbetaP;
    private final Conv4Spec spec;
    private long version;

    ParamBuffers(Conv4Spec spec, engine eng, NativeScope scope) {
        this.spec = spec;
        int n = spec.blocks();
        w = new memory[n];
        dw = new memory[n];
        gamma = new memory[n];
        beta = new memory[n];
        dgamma = new memory[n];
        dbeta = new memory[n];
        wP = new FloatPointer[n];
        dwP = new FloatPointer[n];
        gammaP = new FloatPointer[n];
        betaP = new FloatPointer[n];
        dgammaP = new FloatPointer[n];
        dbetaP = new FloatPointer[n];
        for (int b = 0; b < n; b++) {
            long[] wDims = {spec.filters(), spec.inChannels(b), Conv4Spec.KERNEL, Conv4Spec.KERNEL};
            memory.desc wd = scope.keep(new memory.desc(wDims, memory.data_type.f32, memory.format_tag.oihw));
            memory.desc cd = scope.keep(new memory.desc(new long[]{spec.filters()}, memory.data_type.f32, memory.format_tag.x));
            w[b] = scope.keep(new memory(wd, eng));
            dw[b] = scope.keep(new memory(wd, eng));
            gamma[b] = scope.keep(new memory(cd, eng));
            beta[b] = scope.keep(new memory(cd, eng));
            dgamma[b] = scope.keep(new memory(cd, eng));
            dbeta[b] = scope.keep(new memory(cd, eng));
            wP[b] = Dnnl.floats(w[b], scope);
            dwP[b] = Dnnl.floats(dw[b], scope);
            gammaP[b] = Dnnl.floats(gamma[b], scope);
            betaP[b] = Dnnl.floats(beta[b], scope);
            dgammaP[b] = Dnnl.floats(dgamma[b], scope);
            dbetaP[b] = Dnnl.floats(dbeta[b], scope);
        }
    }

    /**
     * Copies {@code params} (its first {@link Conv4Spec#numParams()} values) in; the caller ({@link LoadedParams})
     * has made sure they are new.
     */
    void load(float[] params) {
        version++;
        for (int b = 0; b < spec.blocks(); b++) {
            wP[b].put(params, spec.weightOffset(b), spec.weightCount(b));
            gammaP[b].put(params, spec.gammaOffset(b), spec.filters());
            betaP[b].put(params, spec.betaOffset(b), spec.filters());
        }
    }

    /** Counts the loads that changed the values: equal versions, equal parameters. */
    long version() {
        return version;
    }

    /** Block {@code b}'s batch-norm scale as loaded. */
    void gamma(int b, float[] out) {
        gammaP[b].get(out, 0, spec.filters());
    }

    void store(float[] grad) {
        for (int b = 0; b < spec.blocks(); b++) {
            dwP[b].get(grad, spec.weightOffset(b), spec.weightCount(b));
            dgammaP[b].get(grad, spec.gammaOffset(b), spec.filters());
            dbetaP[b].get(grad, spec.betaOffset(b), spec.filters());
        }
    }
}
