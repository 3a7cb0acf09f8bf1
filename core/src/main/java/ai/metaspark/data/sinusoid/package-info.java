/** Sinusoid regression (Finn et al. 2017, section 5.1), generated from the task seed: no data on disk. */
package ai.metaspark.data.sinusoid;
