package ai.metaspark.spark.allreduce;

import ai.metaspark.algo.TaskOutcome;
import ai.metaspark.spark.SparkRuntime;
import ai.metaspark.train.MetaGradientAccumulator;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The all-reduce on its own: who may join, and what a stray connection can do to a segment (nothing). */
class AllReduceTest {
    private static final Tls PLAIN = Tls.of(new org.apache.spark.SparkConf(false));
    private final Serializer kryo = new KryoSerializer(SparkRuntime.conf("local[1]", "all-reduce"));

    private static MetaGradientAccumulator partial(double... g) {
        return new MetaGradientAccumulator(g.length).add(new TaskOutcome(g, 1.0, 0.5));
    }

    @Test
    void aClientWithoutTheKeyIsRefusedAndASilentConnectionDelaysNoTask() throws Exception {
        try (AllReduceServer server = new AllReduceServer("127.0.0.1", 0, 2, 3, kryo, 60_000, null, PLAIN);
             Socket silent = new Socket("127.0.0.1", server.port())) {
            InetSocketAddress at = InetSocketAddress.createUnresolved("127.0.0.1", server.port());
            byte[] wrong = server.key();
            wrong[0] ^= 1;
            long t0 = System.nanoTime();
            try (AllReduceClient intruder = new AllReduceClient(at, wrong, null, PLAIN, 0, 0, kryo, 0)) {
                assertThrows(UncheckedIOException.class, () -> intruder.reduce(partial(100, 100, 100)), "refused: connection closed");
            }
            List<CompletableFuture<double[]>> sums = new ArrayList<>();
            double[][] parts = {{1.5, -2, 0.25}, {0.5, 4, -0.25}};
            for (int t = 0; t < 2; t++) {
                int me = t;
                sums.add(CompletableFuture.supplyAsync(() -> {
                    try (AllReduceClient c = new AllReduceClient(at, server.key(), null, PLAIN, 0, me, kryo, 1000)) {
                        double[] sum = c.reduce(partial(parts[me])).meanGradient();
                        if (me == 0) c.finish(new double[]{7});
                        return sum;
                    }
                }));
            }
            double[] expected = partial(parts[0]).merge(partial(parts[1])).meanGradient();
            for (CompletableFuture<double[]> f : sums) assertArrayEquals(expected, f.get(30, TimeUnit.SECONDS));
            assertArrayEquals(new double[]{7}, (double[]) server.outcome());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < AllReduceServer.HELLO_TIMEOUT_MS / 1000.0, "took " + seconds + " s beside a silent connection");
        }
    }

    @Test
    void theKeyNeverCrossesTheConnectionAndAnAnswerFitsOneChallengeOnly() {
        byte[] key = Handshake.randomBytes(32);
        byte[] c1 = Handshake.randomBytes(AllReduceServer.CHALLENGE_BYTES);
        byte[] c2 = Handshake.randomBytes(AllReduceServer.CHALLENGE_BYTES);
        byte[] answer = Handshake.mac(key, c1, 0, 1);
        assertTrue(Handshake.verify(key, c1, 0, 1, answer));
        assertTrue(!Handshake.verify(key, c2, 0, 1, answer), "a replayed answer fails a new challenge");
        assertTrue(!Handshake.verify(key, c1, 0, 0, answer), "bound to the partition");
        assertTrue(!Handshake.verify(key, c1, 1, 1, answer), "bound to the attempt");
    }

    /** Task 1 of 2 computes for {@code computeMs} (beating every {@code heartbeatMs}, 0: silent) before it sends; task 0 at once. */
    private CompletableFuture<double[]>[] step(AllReduceServer server, int computeMs, int heartbeatMs) {
        InetSocketAddress at = InetSocketAddress.createUnresolved("127.0.0.1", server.port());
        @SuppressWarnings("unchecked")
        CompletableFuture<double[]>[] f = new CompletableFuture[2];
        for (int t = 0; t < 2; t++) {
            int me = t;
            f[t] = CompletableFuture.supplyAsync(() -> {
                try (AllReduceClient c = new AllReduceClient(at, server.key(), null, PLAIN, 0, me, kryo, heartbeatMs)) {
                    if (me == 1) Thread.sleep(computeMs);
                    return c.reduce(partial(me, 1, 2)).meanGradient();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return f;
    }

    @Test
    void aSilentTaskFailsItsGroupWithinTheTimeoutWhileABusyOneThatBeatsDoesNot() throws Exception {
        try (AllReduceServer server = new AllReduceServer("127.0.0.1", 0, 2, 3, kryo, 1500, null, PLAIN)) {
            CompletableFuture<double[]>[] busy = step(server, 4000, 300);
            assertArrayEquals(new double[]{0.5, 1, 2}, busy[0].get(30, TimeUnit.SECONDS), "4 s of work, alive all along");
        }
        try (AllReduceServer server = new AllReduceServer("127.0.0.1", 0, 2, 3, kryo, 1500, null, PLAIN)) {
            long t0 = System.nanoTime();
            CompletableFuture<double[]>[] silent = step(server, 60_000, 0);
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> silent[0].get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof UncheckedIOException, e.toString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 6, "the waiting task failed after " + seconds + " s (timeout 1.5 s)");
            silent[1].cancel(true);
        }
    }

    @Test
    void aGroupWhoseOtherTaskNeverJoinsFailsWithinTheTimeout() throws Exception {
        try (AllReduceServer server = new AllReduceServer("127.0.0.1", 0, 2, 3, kryo, 1500, null, PLAIN)) {
            InetSocketAddress at = InetSocketAddress.createUnresolved("127.0.0.1", server.port());
            long t0 = System.nanoTime();
            CompletableFuture<double[]> alone = CompletableFuture.supplyAsync(() -> {
                try (AllReduceClient c = new AllReduceClient(at, server.key(), null, PLAIN, 0, 0, kryo, 300)) {
                    return c.reduce(partial(0, 1, 2)).meanGradient(); // beats every 300 ms while it waits
                }
            });
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> alone.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof UncheckedIOException, e.toString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 6, "the lone task failed after " + seconds + " s (timeout 1.5 s)");
        }
    }

    /** Under spark.authenticate the segment key alone (what a task closure holds) is not enough: Spark's secret is needed too. */
    @Test
    void underSparkAuthenticateTheClosureKeyAloneCannotJoin() throws Exception {
        try (AllReduceServer server = new AllReduceServer("127.0.0.1", 0, 1, 3, kryo, 60_000, "spark-secret", PLAIN)) {
            InetSocketAddress at = InetSocketAddress.createUnresolved("127.0.0.1", server.port());
            for (String secret : new String[]{null, "another-secret"}) {
                try (AllReduceClient c = new AllReduceClient(at, server.key(), secret, PLAIN, 0, 0, kryo, 0)) {
                    assertThrows(UncheckedIOException.class, () -> c.reduce(partial(1, 2, 3)), "secret " + secret);
                }
            }
            try (AllReduceClient c = new AllReduceClient(at, server.key(), "spark-secret", PLAIN, 0, 0, kryo, 0)) {
                assertArrayEquals(new double[]{1, 2, 3}, c.reduce(partial(1, 2, 3)).meanGradient());
            }
        }
    }

    /** Spark's SSL settings put the all-reduce under TLS: a TLS client joins, a plain-text one cannot. */
    @Test
    void withSparkSslOnAPlainTextClientCannotJoin(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String store = dir.resolve("allreduce.p12").toString();
        Process keytool = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "driver", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store, "-storepass", "test-pass", "-keypass", "test-pass")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, new String(keytool.getInputStream().readAllBytes()));
        Tls tls = Tls.of(new org.apache.spark.SparkConf(false).set("spark.ssl.enabled", "true")
                .set("spark.ssl.keyStore", store).set("spark.ssl.keyStorePassword", "test-pass").set("spark.ssl.keyStoreType", "PKCS12")
                .set("spark.ssl.trustStore", store).set("spark.ssl.trustStorePassword", "test-pass").set("spark.ssl.trustStoreType", "PKCS12"));
        try (AllReduceServer server = new AllReduceServer("127.0.0.1", 0, 1, 3, kryo, 60_000, null, tls)) {
            InetSocketAddress at = InetSocketAddress.createUnresolved("127.0.0.1", server.port());
            assertThrows(UncheckedIOException.class, () -> new AllReduceClient(at, server.key(), null, PLAIN, 0, 0, kryo, 0).close(),
                    "plain text against TLS");
            try (AllReduceClient c = new AllReduceClient(at, server.key(), null, tls, 0, 0, kryo, 0)) {
                assertArrayEquals(new double[]{1, 2, 3}, c.reduce(partial(1, 2, 3)).meanGradient());
            }
        }
    }
}
