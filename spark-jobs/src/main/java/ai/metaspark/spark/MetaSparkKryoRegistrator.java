package ai.metaspark.spark;

import ai.metaspark.algo.TaskEvaluation;
import ai.metaspark.task.Split;
import ai.metaspark.task.TaskSpec;
import ai.metaspark.sweep.TrialResult;
import ai.metaspark.spark.table.TablePreparation;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.VarcharType;
import ai.metaspark.sweep.TrialWork;
import ai.metaspark.train.ExactSum;
import ai.metaspark.train.Experiment;
import ai.metaspark.train.MetaGradientAccumulator;
import ai.metaspark.train.Segment;
import ai.metaspark.train.StepRecord;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;

/**
 * Registers every MetaSpark class that Spark serializes with Kryo (task specs in partitions, accumulators and
 * evaluations in task results, broadcast values), so {@code spark.kryo.registrationRequired=true} holds. ND4J's own
 * classes come from {@code org.nd4j.kryo.Nd4jRegistrator}, listed beside this one. Records get explicit serializers:
 * Kryo's field serializer cannot set a record's final fields.
 */
public final class MetaSparkKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Experiment.class, new JavaSerializer()); // broadcast once per run: its whole graph, as Java serializes it
        kryo.register(Segment.class, new JavaSerializer()); // a barrier job's outcome, once per job
        kryo.register(StepRecord.class, new JavaSerializer());
        kryo.register(TaskSpec.class, new TaskSpecSerializer());
        kryo.register(Split.class);
        kryo.register(TaskEvaluation.class, new TaskEvaluationSerializer());
        kryo.register(TaskEvaluation[].class);
        kryo.register(MetaGradientAccumulator.class);
        kryo.register(ExactSum.class, new ExactSumSerializer());
        // DL4J Spark's parameter averaging (the transfer baseline): minibatches in cached partitions, the broadcast
        // network, the workers' results and their aggregate, once per averaging round, as Java serializes them
        for (Class<?> c : new Class<?>[]{DataSet.class, NetBroadcastTuple.class, ParameterAveragingTrainingResult.class,
                ParameterAveragingAggregationTuple.class}) {
            kryo.register(c, new JavaSerializer());
        }
        kryo.register(TablePreparation.kryoClasses().get(0), new JavaSerializer()); // a table's bucket summaries, once per bucket
        kryo.register(TablePreparation.kryoClasses().get(1));
        // the column types of a user's table, in the schemas Spark SQL's Parquet schema discovery returns from tasks;
        // Spark registers the common ones (int, long, double, string, date, decimal, struct), these are the others.
        // Scala objects (BooleanType$...) get chill's singleton serializer by default, so they stay singletons.
        for (DataType t : new DataType[]{DataTypes.BooleanType, DataTypes.ByteType, DataTypes.ShortType, DataTypes.FloatType,
                DataTypes.BinaryType, DataTypes.TimestampType, DataTypes.TimestampNTZType, DataTypes.NullType,
                DataTypes.CalendarIntervalType, DataTypes.createArrayType(DataTypes.DoubleType),
                DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), DataTypes.createDayTimeIntervalType(),
                DataTypes.createYearMonthIntervalType(), new CharType(1), new VarcharType(1)}) {
            kryo.register(t.getClass());
        }
        for (String udt : new String[]{"org.apache.spark.ml.linalg.VectorUDT", "org.apache.spark.mllib.linalg.VectorUDT"}) {
            try { // Spark ML's vector columns, where Spark ML is on the class path (it is on clusters)
                kryo.register(Class.forName(udt, false, Thread.currentThread().getContextClassLoader()));
            } catch (ClassNotFoundException absent) {
                // no Spark ML: no such columns either
            }
        }
        kryo.register(TrialWork.class, new JavaSerializer()); // a sweep's trial executions, one per job
        kryo.register(TrialResult.class, new JavaSerializer());
        kryo.register(TrialResult[].class);
        kryo.register(ArrayList.class);
        kryo.register(double[].class);
        kryo.register(double[][].class);
        kryo.register(long[].class);
        kryo.register(int[].class);
    }

    /** Split, step, index, seed. */
    static final class TaskSpecSerializer extends Serializer<TaskSpec> {
        @Override
        public void write(Kryo kryo, Output out, TaskSpec s) {
            out.writeVarInt(s.split().ordinal(), true);
            out.writeLong(s.step());
            out.writeVarInt(s.index(), true);
            out.writeLong(s.seed());
        }

        @Override
        public TaskSpec read(Kryo kryo, Input in, Class<TaskSpec> type) {
            return new TaskSpec(Split.values()[in.readVarInt(true)], in.readLong(), in.readVarInt(true), in.readLong());
        }
    }

    /** Length, then the 128-bit integers (upper halves, lower halves): the double accumulators are flushed first. */
    static final class ExactSumSerializer extends Serializer<ExactSum> {
        @Override
        public void write(Kryo kryo, Output out, ExactSum s) {
            out.writeVarInt(s.size(), true);
            out.writeLongs(s.high());
            out.writeLongs(s.low());
        }

        @Override
        public ExactSum read(Kryo kryo, Input in, Class<ExactSum> type) {
            int size = in.readVarInt(true);
            return ExactSum.of(in.readLongs(size), in.readLongs(size));
        }
    }

    /** Curve, then adaptation time. */
    static final class TaskEvaluationSerializer extends Serializer<TaskEvaluation> {
        @Override
        public void write(Kryo kryo, Output out, TaskEvaluation e) {
            out.writeVarInt(e.perStep().length, true);
            out.writeDoubles(e.perStep());
            out.writeDouble(e.adaptMillis());
        }

        @Override
        public TaskEvaluation read(Kryo kryo, Input in, Class<TaskEvaluation> type) {
            double[] curve = in.readDoubles(in.readVarInt(true));
            return new TaskEvaluation(curve, in.readDouble());
        }
    }
}
