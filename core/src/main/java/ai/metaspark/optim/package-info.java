/** The outer (meta) optimizer on the flat meta-parameter vector: Adam, Nesterov, SGD, schedules and clipping, in plain Java. */
package ai.metaspark.optim;
