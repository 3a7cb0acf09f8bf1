package ai.metaspark.spark.allreduce;

import ai.metaspark.train.MetaGradientAccumulator;
import org.apache.spark.serializer.Serializer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A barrier task's end of the all-reduce: one connection to the driver's {@link AllReduceServer} for the whole segment. */
public final class AllReduceClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final Wire wire;
    private final Thread heartbeat;

    /**
     * @param key        the server's secret ({@link AllReduceServer#key()}); proven, never sent
     * @param sparkSecret Spark's secret under {@code spark.authenticate}, else null
     * @param tls        TLS settings (Spark's {@code spark.ssl.*}, as the driver's), or plain sockets
     * @param attempt    the Spark stage attempt (its tasks form one group)
     * @param partition  this task's index in the barrier stage
     * @param serializer Spark's serializer (Kryo), for the frames' payloads
     * @param heartbeatMs how often to tell the server this task is alive while it computes (0: never, for tests)
     */
    public AllReduceClient(InetSocketAddress driver, byte[] key, String sparkSecret, Tls tls, int attempt, int partition,
                           Serializer serializer, int heartbeatMs) {
        this.wire = new Wire(serializer);
        try {
            socket = tls.sockets().createSocket(driver.getHostString(), driver.getPort());
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            byte[] challenge = new byte[AllReduceServer.CHALLENGE_BYTES];
            in.readFully(challenge);
            out.writeInt(attempt);
            out.writeInt(partition);
            out.write(Handshake.mac(Handshake.key(key, sparkSecret), challenge, attempt, partition));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the driver's all-reduce at " + driver, e);
        }
        heartbeat = heartbeatMs > 0 ? new Thread(() -> beat(heartbeatMs), "metaspark-allreduce-heartbeat") : null;
        if (heartbeat != null) {
            heartbeat.setDaemon(true);
            heartbeat.start();
        }
    }

    /** Sends a heartbeat frame every {@code ms} until closed; frames never interleave (both sides lock {@code out}). */
    private void beat(int ms) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(ms);
                synchronized (out) {
                    out.writeInt(AllReduceServer.HEARTBEAT);
                    out.flush();
                }
            }
        } catch (InterruptedException | IOException e) {
            // closed: the connection's own reads report a lost driver
        }
    }

    /**
     * Sends this task's partial sum of a step and returns the sum over all tasks.
     *
     * @throws ArithmeticException when a task could not sum its share (it diverged)
     */
    public MetaGradientAccumulator reduce(MetaGradientAccumulator mine) {
        return exchange(() -> wire.write(out, mine));
    }

    /** Tells the other tasks that this one could not sum its share of the step; throws the answer. */
    public MetaGradientAccumulator reduceFailed(String message) {
        return exchange(() -> {
            out.writeInt(AllReduceServer.FAILED);
            out.writeUTF(message);
        });
    }

    /** Task 0's last message: the segment's outcome (any registered object); returns once the driver has it. */
    public void finish(Object outcome) {
        try {
            synchronized (out) {
                out.writeInt(AllReduceServer.OUTCOME);
                wire.write(out, outcome);
                out.flush();
            }
            if (in.readByte() != AllReduceServer.ACK) throw new IOException("the driver did not acknowledge the segment's outcome");
        } catch (IOException e) {
            throw new UncheckedIOException("all-reduce connection to the driver lost", e);
        }
    }

    private interface Send {
        void to() throws IOException;
    }

    private MetaGradientAccumulator exchange(Send send) {
        try {
            synchronized (out) {
                send.to();
                out.flush();
            }
            int length = in.readInt();
            if (length == AllReduceServer.FAILED) throw new ArithmeticException(in.readUTF());
            return wire.read(in, length);
        } catch (IOException e) {
            throw new UncheckedIOException("all-reduce connection to the driver lost", e);
        }
    }

    @Override
    public void close() {
        if (heartbeat != null) heartbeat.interrupt();
        AllReduceServer.closeQuietly(socket);
    }
}
