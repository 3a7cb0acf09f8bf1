package ai.metaspark.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SegmentLengthTest {
    @Test
    void autoStartsAtOneStepAndGrowsByDoublingToAboutTwentySeconds() {
        SegmentLength auto = new SegmentLength(0);
        assertEquals(1, auto.next());
        long ms = 1_000_000L;
        auto.observe(1, 4 * ms);
        assertEquals(2, auto.next());
        auto.observe(2, 8 * ms);
        assertEquals(4, auto.next());
        for (int i = 0; i < 20; i++) auto.observe(auto.next(), auto.next() * 4 * ms);
        assertEquals(5000, auto.next(), "twenty seconds at 4 ms per step");
        auto.observe(5000, 5000 * 400 * ms);
        assertEquals(50, auto.next(), "shrinks at once when steps slow down");
    }

    @Test
    void aFixedLengthIgnoresTimings() {
        SegmentLength fixed = new SegmentLength(7);
        fixed.observe(7, 100_000_000_000L);
        assertEquals(7, fixed.next());
    }
}
