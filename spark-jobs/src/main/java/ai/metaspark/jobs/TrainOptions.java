package ai.metaspark.jobs;

/**
 * How a training job runs, beside its configuration.
 *
 * @param out                run folder (any Hadoop path)
 * @param master             Spark master URL; null: spark-submit's, else embedded {@code local[*]}
 * @param inProcess          run tasks on threads in this JVM without Spark (the reference trainer)
 * @param resume             continue an unfinished run folder from its newest checkpoint
 * @param fallbackCheckpoint when the newest checkpoint is corrupt, resume from the previous one
 */
public record TrainOptions(String out, String master, boolean inProcess, boolean resume, boolean fallbackCheckpoint) {
    public static TrainOptions to(String out) {
        return new TrainOptions(out, null, false, false, false);
    }
}
