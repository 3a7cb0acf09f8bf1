package ai.metaspark.architecture;

import ai.metaspark.config.RunConfig;
import ai.metaspark.recipe.TaskFamilyProvider;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.implement;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of {@code core} (docs/architecture.md): packages form no cycle, core never touches Spark, only the recipe
 * layer (and the task-family providers it loads) reads configuration keys, and the algorithms know nothing of the
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

    @Test
    void coreNeverImportsSpark() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..").check(core);
    }

    @Test
    void onlyTheRecipeLayerReadsTheConfiguration() {
        noClasses().that(not(resideInAnyPackage("ai.metaspark.config..", "ai.metaspark.recipe..")
                        .or(implement(TaskFamilyProvider.class))))
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
