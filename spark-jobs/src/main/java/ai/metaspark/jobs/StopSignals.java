package ai.metaspark.jobs;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * While open, SIGTERM (YARN preemption, Kubernetes eviction, {@code kill}) and SIGINT (Ctrl-C) ask training to stop at
 * the next segment boundary instead of ending the JVM at once, which would stop Spark under the running job. A second
 * signal does what the first would have done without this (the JVM's default: shutdown).
 */
final class StopSignals implements AutoCloseable {
    private final AtomicBoolean requested;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    /** Sets {@code requested} on the first signal. */
    StopSignals(AtomicBoolean requested) {
        this.requested = requested;
        for (String name : new String[]{"TERM", "INT"}) {
            Signal signal = new Signal(name);
            try {
                previous.put(signal, Signal.handle(signal, this::handle));
            } catch (IllegalArgumentException e) { // the JVM keeps this signal (-Xrs, or used by the VM): leave it
            }
        }
    }

    private void handle(Signal signal) {
        if (requested.compareAndSet(false, true)) return;
        SignalHandler before = previous.get(signal);
        Signal.handle(signal, before);
        if (before == SignalHandler.SIG_DFL) Signal.raise(signal);
        else if (before != SignalHandler.SIG_IGN) before.handle(signal);
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
