package ai.metaspark.train;

import ai.metaspark.algo.TaskOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The byte forms Spark barrier tasks exchange: reading back loses nothing, so merges keep their bits. */
class WireFormatTest {
    @Test
    void anAccumulatorReadBackMergesToTheSameBits() {
        Random r = new Random(7);
        MetaGradientAccumulator a = new MetaGradientAccumulator(33);
        MetaGradientAccumulator b = new MetaGradientAccumulator(33);
        for (int i = 0; i < 10; i++) {
            double[] g = r.doubles(33, -1e3, 1e3).toArray();
            (i % 2 == 0 ? a : b).add(new TaskOutcome(g, r.nextDouble(), r.nextDouble() * 1e-9, r.nextDouble(), r.nextDouble()));
        }
        MetaGradientAccumulator direct = new MetaGradientAccumulator(33).merge(a).merge(b);
        MetaGradientAccumulator wire = new MetaGradientAccumulator(33)
                .merge(MetaGradientAccumulator.fromBytes(a.toBytes())).merge(MetaGradientAccumulator.fromBytes(b.toBytes()));
        assertEquals(10, wire.count());
        assertArrayEquals(direct.meanGradient(), wire.meanGradient());
        assertEquals(direct.meanPostLoss(), wire.meanPostLoss());
        assertEquals(direct.meanPostAccuracy(), wire.meanPostAccuracy());
    }

    @Test
    void aSegmentReadBackIsEqual() {
        Segment s = new Segment(42, new double[]{1.5, -0.0, Double.MIN_VALUE}, new double[]{3, 4, 5, 6},
                List.of(new StepRecord(1, 2, 0.5, 0.75, 9, 1e-3), new StepRecord(0.9, 1.8, 0.6, 0.8, 8, 1e-3)));
        Segment back = Segment.fromBytes(s.toBytes());
        assertEquals(42, back.end());
        assertArrayEquals(s.meta(), back.meta());
        assertArrayEquals(s.optimizerState(), back.optimizerState());
        assertEquals(s.steps(), back.steps());
    }
}
