/**
 * Offline hyperparameter sweeps: a sweep file ({@link ai.metaspark.sweep.SweepSpec}) names a base recipe, a search
 * space over recipe keys ({@link ai.metaspark.sweep.Domain}) and a scheduler; {@link ai.metaspark.sweep.Sweep} drives
 * the trials (grid, random, synchronous successive halving in {@link ai.metaspark.sweep.Halving}, or ASHA in
 * {@link ai.metaspark.sweep.Asha}) through a {@link ai.metaspark.sweep.TrialExecutor} (threads here, Spark tasks in
 * spark-jobs); each trial is an in-process meta-training ({@link ai.metaspark.sweep.TrialRun}) whose run folder and
 * rung results ({@link ai.metaspark.sweep.SweepFolder}) make the sweep resumable. No Spark here.
 */
package ai.metaspark.sweep;
