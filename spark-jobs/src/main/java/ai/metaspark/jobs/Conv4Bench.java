package ai.metaspark.jobs;

import ai.metaspark.model.conv.Conv4Net;
import ai.metaspark.model.conv.Conv4Spec;
import ai.metaspark.model.conv.Conv4Spec.Variant;
import ai.metaspark.run.Provenance;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.FloatPointer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.function.IntFunction;

import static org.bytedeco.dnnl.global.dnnl.dnnl_sgemm;
import static org.bytedeco.dnnl.global.dnnl.dnnl_version;

/**
 * {@code bin/metaspark bench conv4}: Conv-4 forward + backward throughput of {@link Conv4Net} (oneDNN) at the batch
 * sizes of few-shot episodes, for both variants, against the sgemm peak of the same library and threads.
 *
 * <p>{@code threads} Java threads run side by side, each with its own network and batch (how a meta-batch of tasks
 * is spread over cores); oneDNN itself uses {@code OMP_NUM_THREADS} threads per call. Each configuration gets a
 * warm-up, then {@code rounds} timed rounds of about {@value #IMAGES_PER_ROUND} images per thread; the table shows
 * the median round. GFLOP/s counts the convolutions only ({@link Conv4Spec#trainFlopsPerImage()}).
 */
public final class Conv4Bench {
    static final int[] BATCHES = {5, 25, 75, 100, 300};
    static final int IMAGES_PER_ROUND = 600;
    private static final int GEMM = 1024;
    private final int rounds;
    private final int threads;
    private final PrintStream out;

    public Conv4Bench(int rounds, int threads, PrintStream out) {
        this.rounds = rounds;
        this.threads = threads;
        this.out = out;
    }

    public void run() {
        dnnl_version_t v = dnnl_version();
        out.printf(Locale.ROOT, "Conv-4 forward+backward on oneDNN %d.%d.%d (f32): %d Java thread(s) x OMP_NUM_THREADS=%s; "
                        + "median of %d rounds%n", v.major(), v.minor(), v.patch(), threads,
                String.valueOf(System.getenv("OMP_NUM_THREADS")), rounds);
        for (Variant variant : Variant.values()) {
            Conv4Spec spec = Conv4Spec.omniglot(variant);
            out.printf(Locale.ROOT, "%s conv FLOPs counted per image, forward + backward: %.2f MFLOP "
                    + "(fwd + bwd-weights of 4 blocks, bwd-data of blocks 2-4; BN, ReLU, pooling not counted)%n",
                    variant, spec.trainFlopsPerImage() / 1e6);
        }
        // The CPU may be shared: sgemm is timed again before every row and the peak is the best seen.
        double peak = 0;
        List<double[]> rows = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            for (int batch : BATCHES) {
                peak = Math.max(peak, sgemmPeak());
                rows.add(new double[]{variant.ordinal(), batch, imagesPerSecond(Conv4Spec.omniglot(variant), batch)});
            }
        }
        peak = Math.max(peak, sgemmPeak());
        out.printf(Locale.ROOT, "on %s; sgemm peak (oneDNN sgemm %d^3 on the same threads, best of %d samples): %.1f GFLOP/s%n%n", Provenance.cpu(),
                GEMM, 5 * (rows.size() + 1), peak);
        out.println("| variant | batch | images/s (median) | ms per batch | conv GFLOP/s | % of sgemm peak |");
        out.println("| --- | --- | --- | --- | --- | --- |");
        for (double[] r : rows) {
            Conv4Spec spec = Conv4Spec.omniglot(Variant.values()[(int) r[0]]);
            int batch = (int) r[1];
            double gflops = r[2] * spec.trainFlopsPerImage() / 1e9;
            out.printf(Locale.ROOT, "| %s | %d | %.0f images/s | %.2f | %.1f | %.0f%% |%n", spec.variant(), batch, r[2],
                    1000.0 * batch * threads / r[2], gflops, 100 * gflops / peak);
        }
    }

    /** Median images/s over the timed rounds, all threads together. */
    private double imagesPerSecond(Conv4Spec spec, int batch) {
        int iters = Math.max(1, IMAGES_PER_ROUND / batch);
        double[] seconds = timeRounds(t -> {
            Conv4Net net = new Conv4Net(spec);
            Work w = new Work(spec, batch, 17 + t);
            return new Task(() -> {
                for (int i = 0; i < iters; i++) {
                    net.forward(w.params, w.x, batch);
                    net.backward(w.dEmb, w.grad, null);
                }
            }, net::close);
        });
        double[] rates = new double[seconds.length];
        for (int r = 0; r < rates.length; r++) {
            rates[r] = (double) threads * iters * batch / seconds[r];
        }
        return median(rates);
    }

    /** Best sgemm GFLOP/s of oneDNN's own sgemm, on the same threads as the network. */
    double sgemmPeak() {
        long n = GEMM;
        double[] seconds = timeRounds(t -> {
            FloatPointer a = filled(n * n, t);
            FloatPointer b = filled(n * n, t + 1);
            FloatPointer c = new FloatPointer(n * n);
            return new Task(() -> dnnl_sgemm((byte) 'N', (byte) 'N', n, n, n, 1f, a, n, b, n, 0f, c, n), () -> {
                a.close();
                b.close();
                c.close();
            }, 5);
        });
        return threads * 2.0 * n * n * n / Arrays.stream(seconds).min().orElseThrow() / 1e9;
    }

    private static FloatPointer filled(long count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextDouble();
        return new FloatPointer(v);
    }

    /** A timed body and what frees its resources; {@code rounds} overrides the bench's round count when set. */
    private record Task(Runnable body, Runnable cleanup, int rounds) {
        Task(Runnable body, Runnable cleanup) {
            this(body, cleanup, 0);
        }
    }

    /** Input, parameters and embedding gradient of one thread. */
    private static final class Work {
        final float[] params;
        final float[] x;
        final float[] dEmb;
        final float[] grad;

        Work(Conv4Spec spec, int batch, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] p = spec.initialParams(seed);
            params = new float[p.length];
            for (int i = 0; i < p.length; i++) params[i] = (float) p[i];
            x = new float[batch * spec.inputSize()];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
            dEmb = new float[batch * spec.embeddingSize()];
            for (int i = 0; i < dEmb.length; i++) dEmb[i] = (float) (rng.nextDouble() - 0.5) / batch;
            grad = new float[p.length];
        }
    }

    /**
     * Runs the task of every thread (built on that thread) side by side: one warm-up round, then the timed rounds,
     * each started together behind a barrier; returns the wall seconds of each timed round.
     */
    private double[] timeRounds(IntFunction<Task> make) {
        CyclicBarrier barrier = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        int[] total = {rounds};
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                Task task = null;
                try {
                    task = make.apply(id);
                    total[0] = task.rounds() > 0 ? task.rounds() : rounds;
                    task.body().run();                  // warm-up: builds the primitives, JIT
                    barrier.await();
                    for (int r = 0; r < total[0]; r++) {
                        barrier.await();
                        task.body().run();
                        barrier.await();
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                    barrier.reset();
                } finally {
                    if (task != null) task.cleanup().run();
                }
            }, "conv4-bench-" + t);
            workers.add(th);
            th.start();
        }
        double[] seconds;
        try {
            barrier.await();
            seconds = new double[total[0]];
            for (int r = 0; r < seconds.length; r++) {
                barrier.await();
                long t0 = System.nanoTime();
                barrier.await();
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            for (Thread th : workers) th.join();
        } catch (Exception e) {
            throw new IllegalStateException("conv4 bench worker failed: " + failure[0], failure[0] != null ? failure[0] : e);
        }
        return seconds;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
