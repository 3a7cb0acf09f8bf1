package ai.metaspark.spark.allreduce;

import ai.metaspark.train.MetaGradientAccumulator;
import org.apache.spark.serializer.Serializer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The driver's end of a segment's all-reduce: the barrier tasks of a segment dial it, and for every meta-step each
 * sends its exact partial sum and gets back the sum of all of them. Spark's own {@code BarrierTaskContext.allGather}
 * polls once a second, far too slow for steps of a few milliseconds, so the sums travel over one plain TCP
 * connection per task. A stage attempt's tasks form a group; a re-run attempt (after a task failure) forms a new one,
 * and a group whose connection breaks is closed whole, which fails its remaining tasks at once. A task whose share
 * diverged sends a failure frame instead of its sum; then every task gets the failure, so all stop at the same step.
 * At the end task 0 sends the segment's outcome on the same connection (every task holds the same bits), so the job
 * itself returns nothing: no result travels through Spark's shuffle and collect.
 *
 * <p>Joining: the server sends a fresh random challenge and the task answers with its attempt, its partition and
 * {@code HMAC-SHA256(key, challenge, attempt, partition)}, the key being a random secret of this segment that reaches the
 * tasks in their closure (through Spark's own, possibly encrypted, RPC), and under {@code spark.authenticate} that
 * secret's HMAC under Spark's own secret, so that the closure alone is not enough. The key never crosses this connection and an
 * answer cannot be replayed; a connection that fails the check is closed. Each hello runs on its own thread with a
 * {@value #HELLO_TIMEOUT_MS} ms limit, so a stray or silent connection delays no task.
 *
 * <p>Liveness: a task sends a heartbeat frame every quarter of {@code timeoutMs} while it computes, and the server
 * gives up on a group when a member stays silent for {@code timeoutMs}: a lost executor (a network partition, a
 * frozen process) fails its stage within that bound, and Spark re-runs it, instead of blocking the driver and the
 * other tasks forever. So does a group whose tasks have not all joined within {@code timeoutMs} of the first.
 */
public final class AllReduceServer implements AutoCloseable {
    static final int HELLO_TIMEOUT_MS = 10_000;
    static final int CHALLENGE_BYTES = 32;
    /** A frame length that says: this task's share of the step is not finite (it diverged); a message follows. */
    static final int FAILED = -1;
    /** A frame length that says: the segment is over; its outcome follows (length, bytes), answered by {@link #ACK}. */
    static final int OUTCOME = -2;
    static final int ACK = 1;
    /** A frame length that says: this task is alive and still computing its share; nothing follows. */
    static final int HEARTBEAT = -3;
    private final ServerSocket server;
    private final byte[] key = Handshake.randomBytes(32);
    private final byte[] proven;
    private final int tasks;
    private final int size;
    private final Map<Integer, Socket[]> groups = new HashMap<>();
    private final Serializer serializer;
    private final int timeoutMs;
    private final CompletableFuture<Object> outcome = new CompletableFuture<>();

    /**
     * @param bindHost the interface to listen on
     * @param port     0 for any free port
     * @param tasks    barrier tasks per stage attempt
     * @param size       meta-parameter count
     * @param serializer Spark's serializer (Kryo), for the frames' payloads
     * @param timeoutMs  how long a task may stay silent (no frame, no heartbeat) before its group is given up
     * @param sparkSecret Spark's secret under {@code spark.authenticate}, else null
     * @param tls        TLS settings (Spark's {@code spark.ssl.*}), or plain sockets
     */
    public AllReduceServer(String bindHost, int port, int tasks, int size, Serializer serializer, int timeoutMs, String sparkSecret,
                           Tls tls) {
        try {
            server = tls.serverSockets().createServerSocket(port, 64, InetAddress.getByName(bindHost));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the all-reduce on " + bindHost + ":" + port
                    + " (set spark.metaspark.allreduce.port to a free port the executors can reach)", e);
        }
        this.tasks = tasks;
        this.size = size;
        this.serializer = serializer;
        this.timeoutMs = timeoutMs;
        this.proven = Handshake.key(key, sparkSecret);
        Thread acceptor = new Thread(this::accept, "metaspark-allreduce");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The secret every task must prove it holds, so that nothing else on the network joins the sum (a copy). */
    public byte[] key() {
        return key.clone();
    }

    /**
     * The outcome task 0 sent: present once a stage attempt has finished (its task 0 waits for the driver's
     * acknowledgement before it ends). Attempts that get that far send the same bits.
     */
    public Object outcome() {
        Object b = outcome.getNow(null);
        if (b == null) throw new IllegalStateException("the segment's barrier job ended without an outcome from task 0");
        return b;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread hello = new Thread(() -> hello(s), "metaspark-allreduce-hello");
                hello.setDaemon(true);
                hello.start();
            } catch (IOException e) {
                if (!server.isClosed()) System.err.println("all-reduce: " + e.getMessage());
            }
        }
    }

    /** Checks a new connection's answer to a fresh challenge; a task that passes joins its attempt's group. */
    private void hello(Socket s) {
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(HELLO_TIMEOUT_MS);
            byte[] challenge = Handshake.randomBytes(CHALLENGE_BYTES);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.write(challenge);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int attempt = in.readInt();
            int partition = in.readInt();
            byte[] answer = new byte[Handshake.MAC_BYTES];
            in.readFully(answer);
            s.setSoTimeout(timeoutMs);
            if (!Handshake.verify(proven, challenge, attempt, partition, answer) || partition < 0 || partition >= tasks) {
                System.err.println("all-reduce: refused a connection from " + s.getRemoteSocketAddress() + " (failed authentication)");
                s.close();
                return;
            }
            join(s, attempt, partition);
        } catch (IOException e) {
            closeQuietly(s); // a silent or broken hello: only that connection is dropped
        }
    }

    private void join(Socket s, int attempt, int partition) {
        Socket[] group;
        synchronized (groups) {
            group = groups.computeIfAbsent(attempt, a -> watchJoining(new Socket[tasks]));
            group[partition] = s;
            for (Socket member : group) if (member == null) return;
        }
        Thread t = new Thread(() -> reduce(group), "metaspark-allreduce-" + attempt);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Gives up on a group whose tasks have not all joined {@code timeoutMs} after the first: a task that never reaches
     * the all-reduce (its executor lost or stuck before the task started) fails the stage instead of leaving the others
     * waiting, alive and beating, forever.
     */
    private Socket[] watchJoining(Socket[] group) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(timeoutMs);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (groups) {
                int joined = 0;
                for (Socket member : group) if (member != null) joined++;
                if (joined == tasks) return;
                System.err.println("all-reduce: " + joined + " of " + tasks + " tasks of the segment joined within "
                        + timeoutMs / 1000 + " s (an executor lost or stuck before its task started); failing its stage "
                        + "so that Spark re-runs it");
                for (Socket member : group) if (member != null) closeQuietly(member);
            }
        }, "metaspark-allreduce-join-watch");
        t.setDaemon(true);
        t.start();
        return group;
    }

    /**
     * Runs the rounds of one stage attempt until task 0 sends the outcome; closes its connections then or at the
     * first broken one. Every task runs the same steps, so when task 0 is done the others are too.
     */
    private void reduce(Socket[] group) {
        try {
            Wire wire = new Wire(serializer);
            DataInputStream[] in = new DataInputStream[tasks];
            DataOutputStream[] out = new DataOutputStream[tasks];
            for (int i = 0; i < tasks; i++) {
                in[i] = new DataInputStream(new BufferedInputStream(group[i].getInputStream()));
                out[i] = new DataOutputStream(new BufferedOutputStream(group[i].getOutputStream()));
            }
            for (int first = frame(in[0]); first != OUTCOME; first = frame(in[0])) {
                round(wire, first, in, out);
            }
            outcome.complete(wire.read(in[0], in[0].readInt()));
            out[0].writeByte(ACK);
            out[0].flush();
        } catch (java.net.SocketTimeoutException e) {
            System.err.println("all-reduce: a task of the segment sent nothing for " + timeoutMs / 1000
                    + " s (a lost or frozen executor); failing its stage so that Spark re-runs it");
        } catch (IOException e) {
            // a task failed or was killed: closing the group fails the others, Spark re-runs the stage
        } finally {
            for (Socket s : group) closeQuietly(s);
        }
    }

    /** One all-reduce round, task 0's frame length already read: sums the frames, or passes on the first failure. */
    private void round(Wire wire, int first, DataInputStream[] in, DataOutputStream[] out) throws IOException {
        MetaGradientAccumulator total = new MetaGradientAccumulator(size);
        String failure = null;
        for (int t = 0; t < tasks; t++) {
            int length = t == 0 ? first : frame(in[t]);
            if (length == FAILED) {
                String m = in[t].readUTF();
                if (failure == null) failure = m;
            } else if (length >= 0) {
                total.merge(wire.<MetaGradientAccumulator>read(in[t], length));
            } else {
                throw new IOException("task " + t + " sent frame " + length + " in the middle of a round");
            }
        }
        for (DataOutputStream o : out) {
            if (failure != null) {
                o.writeInt(FAILED);
                o.writeUTF(failure);
            } else {
                wire.write(o, total);
            }
            o.flush();
        }
    }

    /** The next frame length, past any heartbeats. */
    private static int frame(DataInputStream in) throws IOException {
        int length = in.readInt();
        while (length == HEARTBEAT) length = in.readInt();
        return length;
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (groups) {
            groups.values().forEach(g -> {
                for (Socket s : g) if (s != null) closeQuietly(s);
            });
        }
    }
}
