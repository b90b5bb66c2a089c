package org.sp2ot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies between our packages (README "Layout"), checked on the compiled main classes of all
 * three modules: {@code jobs} (CLI, stages) → {@code ml} (Estimator/Model and their Spark glue) → {@code train}
 * (plain Java training) → {@code solver}; {@code datasets} is reached only from the Spark layers and reaches none of
 * ours; the solver core finds its GPU backend at run time and knows nothing of Spark.
 */
class DependencyRulesTest {
    private static final String[] SPARK_AND_HADOOP = {"org.apache.spark..", "org.apache.hadoop..", "scala.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.sp2ot");
        // A rule over an empty import passes vacuously: make sure all layers are there.
        for (String layer : new String[] {"jobs", "ml", "train", "solver", "datasets"}) {
            assertTrue(classes.stream().anyMatch(c -> c.getPackageName().startsWith("org.sp2ot." + layer)),
                    "no main class of org.sp2ot." + layer + " was imported");
        }
    }

    @Test
    void topLevelPackagesHaveNoCycle() {
        slices().matching("org.sp2ot.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noPackageIsInACycle() {
        slices().matching("org.sp2ot.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void layersDependOnlyDownwards() {
        layers().check(classes);
    }

    @Test
    void theRulesFindViolationsWhereThereAreSome() {
        // Test code may cross the layers (ToyData builds Spark frames, TrainerTest uses the Hadoop checkpoint store):
        // with the test classes imported, the same rules must report them.
        JavaClasses withTests = new ClassFileImporter().importPackages("org.sp2ot");
        assertTrue(layers().evaluate(withTests).hasViolation(), "train test code imports ml.data");
        assertTrue(trainIsPlainJavaRule().evaluate(withTests).hasViolation(), "train test code imports Spark");
    }

    private static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("jobs").definedBy("org.sp2ot.jobs..")
                .layer("ml").definedBy("org.sp2ot.ml..")
                .layer("train").definedBy("org.sp2ot.train..")
                .layer("solver").definedBy("org.sp2ot.solver..")
                .layer("datasets").definedBy("org.sp2ot.datasets..")
                .whereLayer("jobs").mayNotBeAccessedByAnyLayer()
                .whereLayer("ml").mayOnlyBeAccessedByLayers("jobs")
                .whereLayer("train").mayOnlyBeAccessedByLayers("ml", "jobs")
                .whereLayer("solver").mayOnlyBeAccessedByLayers("train", "ml", "jobs")
                .whereLayer("datasets").mayOnlyBeAccessedByLayers("ml", "jobs");
    }

    @Test
    void trainIsPlainJava() {
        trainIsPlainJavaRule().check(classes);
    }

    private static ArchRule trainIsPlainJavaRule() {
        return noClasses().that().resideInAPackage("org.sp2ot.train..").should().dependOnClassesThat()
                .resideInAnyPackage(SPARK_AND_HADOOP);
    }

    @Test
    void solverCoreDoesNotNameItsGpuBackend() {
        noClasses().that().resideInAPackage("org.sp2ot.solver").should().dependOnClassesThat()
                .resideInAPackage("org.sp2ot.solver.aparapi..").check(classes);
    }

    @Test
    void solverModuleKnowsNothingOfSparkOrOurOtherModules() {
        noClasses().that().resideInAPackage("org.sp2ot.solver..").should().dependOnClassesThat()
                .resideInAnyPackage(SPARK_AND_HADOOP).check(classes);
        noClasses().that().resideInAPackage("org.sp2ot.solver..").should().dependOnClassesThat()
                .resideInAnyPackage("org.sp2ot.jobs..", "org.sp2ot.ml..", "org.sp2ot.train..", "org.sp2ot.datasets..")
                .check(classes);
    }

    @Test
    void datasetsNeverImportsTheSolverOrTheSparkJobs() {
        noClasses().that().resideInAPackage("org.sp2ot.datasets..").should().dependOnClassesThat()
                .resideInAnyPackage("org.sp2ot.solver..", "org.sp2ot.jobs..", "org.sp2ot.ml..", "org.sp2ot.train..")
                .check(classes);
    }
}
