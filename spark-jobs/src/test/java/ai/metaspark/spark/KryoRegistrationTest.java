package ai.metaspark.spark;

import ai.metaspark.algo.TaskOutcome;
import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.task.Split;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.MetaGradientAccumulator;
import ai.metaspark.train.Segment;
import ai.metaspark.train.StepRecord;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Everything MetaSpark sends through Spark survives Kryo with registration required; unknown classes are refused. */
class KryoRegistrationTest {
    private final SerializerInstance kryo = new KryoSerializer(SparkRuntime.conf("local[1]", "kryo")).newInstance();

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value) {
        ByteBuffer bytes = kryo.serialize(value, ClassTag$.MODULE$.apply(Object.class));
        return (T) kryo.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
    }

    @Test
    void taskSpecsAccumulatorsAndEvaluationsRoundTrip() {
        TaskSpec spec = new TaskSpec(Split.VALIDATION, 123_456_789_012L, 17, -42L);
        assertEquals(spec, roundTrip(spec));

        MetaGradientAccumulator acc = new MetaGradientAccumulator(3);
        acc.add(new TaskOutcome(new double[]{1.5, -2.25, 1e-9}, 3.0, 0.5));
        acc.add(new TaskOutcome(new double[]{0.1, 0.2, 0.3}, 1.0, 0.25));
        MetaGradientAccumulator back = roundTrip(acc);
        assertEquals(2, back.count());
        assertArrayEquals(acc.meanGradient(), back.meanGradient());
        assertEquals(acc.meanPostLoss(), back.meanPostLoss());

        TaskEvaluation eval = new TaskEvaluation(new double[]{3.0, 0.5, Double.NaN}, 0.125);
        TaskEvaluation evalBack = roundTrip(eval);
        assertArrayEquals(eval.perStep(), evalBack.perStep());
        assertEquals(eval.adaptMillis(), evalBack.adaptMillis());
        assertArrayEquals(new double[]{0.5, 1.5}, roundTrip(new double[]{0.5, 1.5}));
    }

    /** What the all-reduce sends: partial sums read back merge to the same bits, and a segment's outcome is equal. */
    @Test
    void allReducePayloadsKeepTheirBits() {
        Random r = new Random(7);
        MetaGradientAccumulator a = new MetaGradientAccumulator(33);
        MetaGradientAccumulator b = new MetaGradientAccumulator(33);
        for (int i = 0; i < 10; i++) {
            double[] g = r.doubles(33, -1e3, 1e3).toArray();
            (i % 2 == 0 ? a : b).add(new TaskOutcome(g, r.nextDouble(), r.nextDouble() * 1e-9, r.nextDouble(), r.nextDouble()));
        }
        MetaGradientAccumulator direct = new MetaGradientAccumulator(33).merge(a).merge(b);
        MetaGradientAccumulator wire = new MetaGradientAccumulator(33).merge(roundTrip(a)).merge(roundTrip(b));
        assertEquals(10, wire.count());
        assertArrayEquals(direct.meanGradient(), wire.meanGradient());
        assertEquals(direct.meanPostLoss(), wire.meanPostLoss());
        assertEquals(direct.meanPostAccuracy(), wire.meanPostAccuracy());

        Segment s = new Segment(42, new double[]{1.5, -0.0, Double.MIN_VALUE}, new double[]{3, 4, 5, 6},
                List.of(new StepRecord(1, 2, 0.5, 0.75, 9, 1e-3), new StepRecord(0.9, 1.8, 0.6, 0.8, 8, 1e-3)));
        Segment back = roundTrip(s);
        assertEquals(42, back.end());
        assertArrayEquals(s.meta(), back.meta());
        assertArrayEquals(s.optimizerState(), back.optimizerState());
        assertEquals(s.steps(), back.steps());
    }

    @Test
    void nd4jArraysUseNd4jsRegistrator() {
        var a = Nd4j.createFromArray(1.0, 2.0, 3.0);
        assertEquals(a, roundTrip(a));
    }

    record NotRegistered(int x) {
    }

    @Test
    void unregisteredClassesAreRefused() {
        Exception e = assertThrows(Exception.class, () -> roundTrip(new NotRegistered(1)));
        assertEquals(true, String.valueOf(e.getMessage()).contains("not registered"), e.getMessage());
    }
}
