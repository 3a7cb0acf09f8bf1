package ai.metaspark.model.conv;

import org.bytedeco.javacpp.Pointer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Owns JavaCPP objects: keeps them reachable (so the GC never frees a native object a primitive still uses) and
 * frees them, newest first, on {@link #close()}.
 */
final class NativeScope implements AutoCloseable {
    private final List<Pointer> owned = new ArrayList<>();
    private final Set<Pointer> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Keeps {@code p} (once, however often it is passed) and returns it. */
    <T extends Pointer> T keep(T p) {
        if (seen.add(p)) {
            owned.add(p);
        }
        return p;
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
        seen.clear();
    }
}
