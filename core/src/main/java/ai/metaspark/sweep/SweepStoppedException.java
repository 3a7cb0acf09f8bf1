package ai.metaspark.sweep;

import ai.metaspark.train.StoppedException;

/** A sweep stopped on request (SIGTERM, SIGINT); its record is consistent and {@code --resume} continues it. */
public final class SweepStoppedException extends StoppedException {
    public SweepStoppedException(int recorded) {
        super("sweep stopped with " + recorded + " trial result(s) recorded; running trials keep their checkpoints; continue with --resume");
    }
}
