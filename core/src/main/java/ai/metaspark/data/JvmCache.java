package ai.metaspark.data;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A per-JVM cache where each key is computed once, even when many threads (say Spark tasks in one executor) ask for
 * it at the same time: the first caller computes, the others wait for its result. A failed computation is not kept,
 * so a later call tries again.
 */
public final class JvmCache<K, V> {
    private final ConcurrentHashMap<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();

    /** The value of {@code key}, computed by {@code compute} on the first call in this JVM. */
    public V get(K key, Function<K, V> compute) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> theirs = values.putIfAbsent(key, mine);
        if (theirs != null) return await(theirs);
        try {
            mine.complete(compute.apply(key));
            return mine.join();
        } catch (RuntimeException | Error e) {
            values.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static <V> V await(CompletableFuture<V> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw e;
        }
    }
}
