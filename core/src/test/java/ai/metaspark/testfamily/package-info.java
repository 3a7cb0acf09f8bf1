/** A task family of the test tree only ({@code task: line}): adding a family is adding files. */
package ai.metaspark.testfamily;
