/** Architecture rules of {@code core}, checked with ArchUnit on the compiled classes. */
package ai.metaspark.architecture;
