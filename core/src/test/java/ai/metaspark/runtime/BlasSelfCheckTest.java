package ai.metaspark.runtime;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test JVMs get the same BLAS settings as bin/metaspark (conf/jvm.properties); they must pass the check. */
class BlasSelfCheckTest {
    @Test
    void nativeGemmAgreesWithTheJavaReference() {
        assertDoesNotThrow(BlasSelfCheck::verify);
        assertTrue(BlasSelfCheck.maxRelativeError(DataType.DOUBLE) < 1e-12);
    }
}
