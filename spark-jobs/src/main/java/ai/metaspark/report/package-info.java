/**
 * {@code report.html}, the page every run writes beside {@code eval.json} (and {@code bin/metaspark report --run DIR}
 * rewrites), and the page of a sweep ({@link ai.metaspark.report.SweepReport}). Both are one self-contained file read
 * through the Hadoop FileSystem API: inline CSS, the plots as {@code data:image/png;base64} images drawn headless with
 * XChart, no script, nothing fetched, so they still work when copied off HDFS.
 * <p>
 * A run's report ({@link ai.metaspark.report.RunReport}) reads only {@code config.yaml}, {@code metrics.jsonl} and
 * {@code eval.json}. It shows:
 * <ul>
 *   <li>a title with the run folder's name and algorithm, and the meta-test result (mean, 95% CI, tasks);</li>
 *   <li>meta-train loss before and after adaptation ({@code loss_pre}, {@code loss_post}) against the step;</li>
 *   <li>meta-train accuracy ({@code acc_pre}, {@code acc_post}), when present;</li>
 *   <li>meta-validation curves ({@code val_loss}, with the new-best validations marked; {@code val_acc}), when present;</li>
 *   <li>the meta-test metric after 0, 1, ... inner steps ({@code per_step}), with the 95% CI of the reported mean as an
 *       error bar at {@code eval_inner_steps};</li>
 *   <li>time per meta-step in ms ({@code 1000 / steps_per_s}) and tasks per second ({@code steps_per_s x meta_batch},
 *       the key's default when config.yaml lacks it);</li>
 *   <li>a table of every field of {@code eval.json} and of every key of {@code config.yaml}, values as written there.</li>
 * </ul>
 * A plot appears only when its data is present; non-finite values are left out of plots and shown as "NaN" or
 * "Infinity" in tables. Lines of {@code metrics.jsonl} with a {@code kind} field (Spark listener lines) and unreadable
 * lines are not plotted; the page says how many there were.
 * <p>
 * A sweep's report ({@link ai.metaspark.report.SweepReport}; written at the end of {@code bin/metaspark sweep},
 * rewritten by {@code bin/metaspark report --sweep DIR}) reads {@code sweep.yaml}, {@code trials.jsonl} and the first
 * line of {@code best.yaml}. It shows the best trial, the metric against each swept key (95% CI error bars, one series
 * per rung; log or categorical x-axes), the rungs of the promoted trials, and a table of every trial and rung; failed
 * trials are left out of the plots, counted in the captions and listed with their error in the table.
 */
package ai.metaspark.report;
