package ai.metaspark.run;

import ai.metaspark.recipe.Recipe;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint's provenance names the build's commit, the processor, what ND4J computes on, and checksums the data it was trained on. */
class ProvenanceTest {
    @Test
    void namesTheCommitAndChecksumsTheOmniglotZips() {
        Map<String, Object> p = Provenance.current(Recipe.defaults().with("task=omniglot").dataLocation());
        String commit = (String) p.get("git_commit");
        assertTrue(commit.matches("[0-9a-f]{40}(-dirty)?") || commit.equals("unknown"), commit);
        assertEquals("CPU", p.get("nd4j_compute"), "ND4J's native CPU backend in the tests (backend auto: oneDNN)");
        String cpu = (String) p.get("cpu");
        assertTrue(cpu.endsWith(", " + Runtime.getRuntime().availableProcessors() + " cores"), cpu);
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/cpuinfo"))) {
            assertTrue(cpu.matches(".+ \\(family \\d+ model \\d+\\), \\d+ cores"), "the model, family and model number: " + cpu);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) p.get("data");
        assertEquals("crc32:ff82c2cc bytes:8556666", data.get("images_background.zip"), data.toString());
        assertEquals("crc32:a1dc2891 bytes:5838819", data.get("images_evaluation.zip"), data.toString());
    }

    @Test
    void sinusoidsHaveNoDataToChecksum() {
        assertFalse(Provenance.current(Recipe.defaults().dataLocation()).containsKey("data"));
    }
}
