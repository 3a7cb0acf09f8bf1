package ai.metaspark.task;

import ai.metaspark.data.sinusoid.SinusoidFamily;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskSamplerTest {
    private final SinusoidFamily family = new SinusoidFamily();

    @Test
    void sameSeedStepAndIndexGiveTheSameTaskAnywhere() {
        Task a = family.materialize(new TaskSampler(3).spec(Split.TRAIN, 17, 4), 10, 10);
        Task b = family.materialize(new TaskSampler(3).metaBatch(17, 25).get(4), 10, 10);
        assertArrayEquals(a.support().x(), b.support().x(), 0.0);
        assertArrayEquals(a.query().y(), b.query().y(), 0.0);
    }

    @Test
    void splitsStepsAndIndicesGetDistinctSeeds() {
        TaskSampler s = new TaskSampler(3);
        Set<Long> seeds = new HashSet<>();
        for (Split split : Split.values()) {
            for (int step = 0; step < 50; step++) {
                for (int i = 0; i < 25; i++) seeds.add(s.spec(split, step, i).seed());
            }
        }
        assertEquals(3 * 50 * 25, seeds.size());
        assertNotEquals(new TaskSampler(3).spec(Split.TRAIN, 0, 0).seed(), new TaskSampler(4).spec(Split.TRAIN, 0, 0).seed());
    }

    @Test
    void sinusoidDrawsStayInTheirRanges() {
        TaskSampler s = new TaskSampler(9);
        double maxAbsY = 0;
        for (int i = 0; i < 500; i++) {
            Task t = family.materialize(s.spec(Split.TRAIN, 0, i), 10, 10);
            for (double x : t.support().x()) assertTrue(x >= -5 && x <= 5);
            for (double y : t.query().y()) maxAbsY = Math.max(maxAbsY, Math.abs(y));
            assertEquals(10, t.support().n());
        }
        assertTrue(maxAbsY <= 5 && maxAbsY > 4, "amplitudes span up to 5, got max |y| " + maxAbsY);
    }
}
