package ai.metaspark.architecture;

import ai.metaspark.config.RunConfig;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of {@code core} (docs/architecture.md): packages form no cycle and depend only downward, core never touches Spark, only the recipe
 * layer reads the configuration (task-family providers get their declared keys through its {@code FamilyKeys}), and the algorithms know nothing of the
 * training loop or of recipes.
 */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ai.metaspark");
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("ai.metaspark.(**)").should().beFreeOfCycles().check(core);
    }

    /** Bottom to top (docs/architecture.md): a package may use the ones before it, never one after it. */
    private static final String[] LAYERS = {"config", "io", "task", "model", "algo", "eval", "optim", "train", "runtime",
            "recipe", "run", "data", "sweep"};

    @Test
    void arrowsPointDown() {
        for (int i = 0; i < LAYERS.length - 1; i++) {
            String[] above = new String[LAYERS.length - 1 - i];
            for (int j = i + 1; j < LAYERS.length; j++) above[j - i - 1] = "ai.metaspark." + LAYERS[j] + "..";
            noClasses().that().resideInAPackage("ai.metaspark." + LAYERS[i] + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .because(LAYERS[i] + " sits below " + String.join(", ", java.util.Arrays.copyOfRange(LAYERS, i + 1, LAYERS.length)))
                    .check(core);
        }
    }

    @Test
    void coreNeverImportsSpark() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..").check(core);
    }

    @Test
    void onlyTheRecipeLayerReadsTheConfiguration() {
        noClasses().that().resideOutsideOfPackages("ai.metaspark.config..", "ai.metaspark.recipe..")
                .should().dependOnClassesThat().areAssignableTo(RunConfig.class)
                .because("keys are read once, into a typed Experiment (ai.metaspark.recipe)").check(core);
    }

    @Test
    void algorithmsKnowNeitherTheTrainingLoopNorRecipes() {
        noClasses().that().resideInAPackage("ai.metaspark.algo..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.metaspark.train..", "ai.metaspark.recipe..",
                        "ai.metaspark.eval..", "ai.metaspark.config..")
                .check(core);
    }
}
