/**
 * The exact all-reduce of barrier segments: the driver's {@link ai.metaspark.spark.allreduce.AllReduceServer} and each
 * barrier task's {@link ai.metaspark.spark.allreduce.AllReduceClient}, one TCP connection per task for a whole segment,
 * payloads written with Spark's Kryo serializer.
 */
package ai.metaspark.spark.allreduce;
