package ai.metaspark.spark.allreduce;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/** The all-reduce's challenge and answer: {@code HMAC-SHA256(key, challenge | attempt | partition)}. */
final class Handshake {
    static final int MAC_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * The key both ends prove: the segment's random key, or under {@code spark.authenticate} an HMAC of it under
     * Spark's secret, so that only processes holding Spark's secret can join.
     */
    static byte[] key(byte[] segmentKey, String sparkSecret) {
        if (sparkSecret == null) return segmentKey.clone();
        return hmac(sparkSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8), segmentKey);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    static byte[] mac(byte[] key, byte[] challenge, int attempt, int partition) {
        return hmac(key, ByteBuffer.allocate(challenge.length + 8).put(challenge).putInt(attempt).putInt(partition).array());
    }

    /** In constant time. */
    static boolean verify(byte[] key, byte[] challenge, int attempt, int partition, byte[] answer) {
        return MessageDigest.isEqual(mac(key, challenge, attempt, partition), answer);
    }
}
