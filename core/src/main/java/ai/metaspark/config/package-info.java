/**
 * Configuration: every key declared once in {@link ai.metaspark.config.Keys} with its default and doc, and the
 * validated, immutable {@link ai.metaspark.config.RunConfig} built from YAML plus {@code KEY=VALUE} overrides.
 */
package ai.metaspark.config;
