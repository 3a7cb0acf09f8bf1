/**
 * Recipes: the one place below the command line where configuration keys are read. A {@link ai.metaspark.recipe.Recipe}
 * (the resolved YAML plus overrides) becomes a typed, validated {@link ai.metaspark.train.Experiment}; task families
 * plug in as {@link ai.metaspark.recipe.TaskFamilyProvider}s found by {@link java.util.ServiceLoader}, so adding one
 * adds files and changes none in training, evaluation or the algorithms. A provider reads the keys it declares through
 * {@link ai.metaspark.recipe.FamilyKeys}, never the configuration itself.
 */
package ai.metaspark.recipe;
