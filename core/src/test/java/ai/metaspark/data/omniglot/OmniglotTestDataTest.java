package ai.metaspark.data.omniglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real-data tests skip without the data, except under CI=true, where they fail. */
class OmniglotTestDataTest {
    @TempDir
    Path empty;

    @Test
    void missingDataSkipsLocallyAndFailsUnderCi() {
        assertThrows(TestAbortedException.class, () -> OmniglotTestData.requirePresent(empty, null));
        assertThrows(TestAbortedException.class, () -> OmniglotTestData.requirePresent(empty, "false"));
        AssertionError e = assertThrows(AssertionError.class, () -> OmniglotTestData.requirePresent(empty, "true"));
        assertTrue(e.getMessage().contains("CI=true requires it"), e.getMessage());
    }
}
