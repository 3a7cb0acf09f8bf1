/**
 * Tasks: the serializable {@link ai.metaspark.task.TaskSpec} that crosses the wire, the deterministic
 * {@link ai.metaspark.task.TaskSampler}, and the task families that turn specs into support and query data.
 */
package ai.metaspark.task;
