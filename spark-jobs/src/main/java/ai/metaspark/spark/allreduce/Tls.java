package ai.metaspark.spark.allreduce;

import org.apache.spark.SparkConf;

import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * TLS for the all-reduce connection with Spark's own SSL settings ({@code spark.ssl.enabled}, {@code spark.ssl.keyStore},
 * {@code spark.ssl.keyStorePassword}, {@code spark.ssl.keyPassword}, {@code spark.ssl.keyStoreType},
 * {@code spark.ssl.trustStore}, {@code spark.ssl.trustStorePassword}, {@code spark.ssl.trustStoreType},
 * {@code spark.ssl.protocol}): the driver serves with the key store, tasks trust the trust store. Off (plain sockets)
 * when {@code spark.ssl.enabled} is not true.
 */
public final class Tls {
    private final boolean enabled;
    private final String keyStore;
    private final String keyStorePassword;
    private final String keyPassword;
    private final String keyStoreType;
    private final String trustStore;
    private final String trustStorePassword;
    private final String trustStoreType;
    private final String protocol;

    private Tls(SparkConf c) {
        enabled = c.getBoolean("spark.ssl.enabled", false);
        keyStore = c.get("spark.ssl.keyStore", null);
        keyStorePassword = c.get("spark.ssl.keyStorePassword", null);
        keyPassword = c.get("spark.ssl.keyPassword", keyStorePassword);
        keyStoreType = c.get("spark.ssl.keyStoreType", KeyStore.getDefaultType());
        trustStore = c.get("spark.ssl.trustStore", null);
        trustStorePassword = c.get("spark.ssl.trustStorePassword", null);
        trustStoreType = c.get("spark.ssl.trustStoreType", KeyStore.getDefaultType());
        protocol = c.get("spark.ssl.protocol", "TLSv1.3");
    }

    /** The settings in {@code conf}; read on each side (driver, executor) from its own configuration. */
    public static Tls of(SparkConf conf) {
        return new Tls(conf);
    }

    /** The driver's server sockets: TLS with the key store, or plain. */
    ServerSocketFactory serverSockets() {
        if (!enabled) return ServerSocketFactory.getDefault();
        if (keyStore == null) throw new IllegalStateException("spark.ssl.enabled is true but spark.ssl.keyStore is not set: "
                + "the driver needs a key store to serve the all-reduce over TLS");
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore, keyStoreType, keyStorePassword), chars(keyPassword));
            SSLContext ctx = SSLContext.getInstance(protocol);
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx.getServerSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot serve the all-reduce over TLS with key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    /** A task's client sockets: TLS trusting the trust store (the JVM's default trust when none is set), or plain. */
    SocketFactory sockets() {
        if (!enabled) return SocketFactory.getDefault();
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore == null ? null : load(trustStore, trustStoreType, trustStorePassword));
            SSLContext ctx = SSLContext.getInstance(protocol);
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot reach the all-reduce over TLS with trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String path, String type, String password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            ks.load(in, chars(password));
        }
        return ks;
    }

    private static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }
}
