/**
 * Tasks: the serializable {@link ai.metaspark.task.TaskSpec} that crosses the wire, the deterministic
 * {@link ai.metaspark.task.TaskSampler}, and the {@link ai.metaspark.task.TaskFamily} interface that task families
 * (package {@code ai.metaspark.data} and below) implement to turn specs into support and query data, and, where the
 * family has one, its training split as one labelled data set ({@link ai.metaspark.task.LabelledExamples}, what the
 * transfer baseline's classifier trains on).
 */
package ai.metaspark.task;
