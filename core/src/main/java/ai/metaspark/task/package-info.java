/**
 * Tasks: the serializable {@link ai.metaspark.task.TaskSpec} that crosses the wire, the deterministic
 * {@link ai.metaspark.task.TaskSampler}, and the {@link ai.metaspark.task.TaskFamily} interface that task families
 * (package {@code ai.metaspark.data} and below) implement to turn specs into support and query data.
 */
package ai.metaspark.task;
