package ai.metaspark.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Debian's headless Chromium, run once per call with a fresh profile and killed (with its children) on timeout. */
final class Chromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    /**
     * The flags that work on the build machines: as root (no sandbox), without a GPU, and without the background
     * connections that a closed network refuses.
     */
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
    static final long TIMEOUT_S = 40;

    private Chromium() {
    }

    /** Runs Chromium with {@link #FLAGS} plus {@code args}; returns its standard output. */
    static String run(Path work, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(BINARY), BINARY + " is missing: run .ci/install-tools (installs Debian's chromium)");
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + Files.createTempDirectory(work, "profile"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "chromium", ".out");
        Path err = Files.createTempFile(work, "chromium", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            fail("chromium ran over " + TIMEOUT_S + " s and was killed: " + command + "\n" + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + command + "\n" + readQuietly(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
