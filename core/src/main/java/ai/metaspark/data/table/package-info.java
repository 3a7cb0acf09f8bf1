/**
 * Users' own tables, one task per value of a key column ({@code task: table}): what a table recipe reads
 * ({@link ai.metaspark.data.table.TableSpec}), the key split ({@link ai.metaspark.data.table.KeySplit}), the
 * key-grouped copy that the Spark preparation writes and executors read ({@link ai.metaspark.data.table.TableIndex},
 * {@link ai.metaspark.data.table.KeyBuckets}), and the tasks drawn from it ({@link ai.metaspark.data.table.TableFamily}).
 * Reading the table itself needs Spark SQL, which core never imports: spark-jobs prepares the copy before a run.
 */
package ai.metaspark.data.table;
