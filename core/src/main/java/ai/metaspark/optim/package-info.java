/** The outer (meta) optimizer: ND4J's updaters on the flat meta-parameter vector, schedules and clipping. */
package ai.metaspark.optim;
