package ai.metaspark.spark.allreduce;

import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The payloads of all-reduce frames: objects written with Spark's own serializer (Kryo with required registration,
 * {@code MetaSparkKryoRegistrator}), each preceded by its length. Not thread-safe: one per connection thread.
 */
final class Wire {
    private static final ClassTag<Object> ANY = ClassTag$.MODULE$.Any();
    private final SerializerInstance serializer;

    Wire(Serializer serializer) {
        this.serializer = serializer.newInstance();
    }

    /** Writes {@code value}'s length and bytes. */
    void write(DataOutputStream out, Object value) throws IOException {
        ByteBuffer b = serializer.serialize(value, ANY);
        out.writeInt(b.remaining());
        out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }

    /** Reads an object of {@code length} bytes (its length already read). */
    @SuppressWarnings("unchecked")
    <T> T read(DataInputStream in, int length) throws IOException {
        byte[] b = new byte[length];
        in.readFully(b);
        return (T) serializer.deserialize(ByteBuffer.wrap(b), ANY);
    }
}
