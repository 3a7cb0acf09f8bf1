/**
 * Reading a user's table with Spark SQL for {@code task: table}: {@link ai.metaspark.spark.table.TableReader} reads
 * and checks it, {@link ai.metaspark.spark.table.TablePreparation} groups its rows by key on the executors into the
 * prepared copy that {@link ai.metaspark.data.table.TableFamily} draws tasks from, and
 * {@link ai.metaspark.spark.table.ExampleTable} writes the example table.
 */
package ai.metaspark.spark.table;
