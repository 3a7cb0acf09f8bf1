package ai.metaspark.task;

/** Which task distribution a task is drawn from; each split has its own random stream. */
public enum Split {
    TRAIN, VALIDATION, TEST
}
