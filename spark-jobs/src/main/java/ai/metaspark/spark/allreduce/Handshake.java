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

    static byte[] mac(byte[] key, byte[] challenge, int attempt, int partition) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(challenge);
            mac.update(ByteBuffer.allocate(8).putInt(attempt).putInt(partition).array());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** In constant time. */
    static boolean verify(byte[] key, byte[] challenge, int attempt, int partition, byte[] answer) {
        return MessageDigest.isEqual(mac(key, challenge, attempt, partition), answer);
    }
}
