package ai.metaspark.spark;

import ai.metaspark.algo.TaskOutcome;
import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.task.Split;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.train.MetaGradientAccumulator;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;

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
        assertArrayEquals(eval.curve(), evalBack.curve());
        assertEquals(eval.adaptMillis(), evalBack.adaptMillis());
        assertArrayEquals(new double[]{0.5, 1.5}, roundTrip(new double[]{0.5, 1.5}));
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
