package ai.metaspark.runtime;

import java.lang.management.ManagementFactory;

/** Bytes allocated on the heap by the current thread while running some code (HotSpot's thread allocation counter). */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    public static long bytes(Runnable work) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        work.run();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }
}
