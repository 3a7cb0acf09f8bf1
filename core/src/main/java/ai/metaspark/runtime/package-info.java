/** Checks of the runtime environment done before work starts (native BLAS correctness). */
package ai.metaspark.runtime;
