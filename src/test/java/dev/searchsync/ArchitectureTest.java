package dev.searchsync;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.and;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependency rules docs/architecture.md states ("Which package may use which"), checked on the main classes:
 * the model depends on nothing, the configuration on no implementation, only an input's packages know its record
 * format, the sink knows no store, and no two packages depend on each other.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.searchsync";
    /** Packages that know an input's record format. */
    private static final String[] INPUT_PACKAGES = {ROOT + ".cdc..", ROOT + ".events..", ROOT + ".logs.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void theModelDependsOnNothingElseInTheProject() {
        noClasses().that().resideInAPackage(ROOT + ".model..")
                .should().dependOnClassesThat(and(resideInAPackage(ROOT + ".."),
                        resideOutsideOfPackage(ROOT + ".model..")))
                .check(main);
    }

    @Test
    void theConfigurationDependsOnNoImplementation() {
        // It owns the values it reads (settings, enums); the packages that act on them consume it, not the reverse.
        noClasses().that().resideInAPackage(ROOT + ".config..")
                .should().dependOnClassesThat(and(resideInAPackage(ROOT + ".."),
                        resideOutsideOfPackages(ROOT + ".config..", ROOT + ".aws..")))
                .check(main);
    }

    @Test
    void onlyAnInputsPackagesKnowItsRecordFormat() {
        noClasses().that().resideInAnyPackage(ROOT + ".ordering..", ROOT + ".validate..", ROOT + ".opensearch..",
                        ROOT + ".deadletter..", ROOT + ".source..", ROOT + ".model..")
                .should().dependOnClassesThat().resideInAnyPackage(INPUT_PACKAGES)
                .check(main);
    }

    @Test
    void theSinkKnowsNoDeadLetterStore() {
        noClasses().that().resideInAPackage(ROOT + ".opensearch..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".deadletter..")
                .check(main);
    }

    @Test
    void orderingAndValidationKnowNeitherTheSinkNorTheDeadLetters() {
        noClasses().that().resideInAnyPackage(ROOT + ".ordering..", ROOT + ".validate..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".opensearch..", ROOT + ".deadletter..",
                        ROOT + ".source..", ROOT + ".config..", ROOT + ".job..")
                .check(main);
    }

    @Test
    void theSourceKnowsNoStepAfterIt() {
        noClasses().that().resideInAPackage(ROOT + ".source..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".job..", ROOT + ".ordering..",
                        ROOT + ".validate..", ROOT + ".opensearch..", ROOT + ".deadletter..")
                .check(main);
    }

    @Test
    void noPackagesDependOnEachOther() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
    }
}
