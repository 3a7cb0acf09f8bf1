/**
 * The command line ({@code bin/metaspark}, picocli): {@code train}, {@code evaluate}, {@code report}, {@code bench},
 * {@code keys}; {@code --set KEY=VALUE} overrides; the documented exit codes ({@link ai.metaspark.cli.ExitCodes}), one
 * line and no stack trace for expected failures.
 */
package ai.metaspark.cli;
