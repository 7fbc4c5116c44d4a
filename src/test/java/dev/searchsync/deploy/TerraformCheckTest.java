package dev.searchsync.deploy;

import dev.searchsync.deploy.Finding.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The project's Terraform passes the static check, and the check finds each defect class it claims to find. */
class TerraformCheckTest {
    private static final Path TERRAFORM = Path.of("terraform").toAbsolutePath();
    private static final Path FIXTURES = Path.of("src", "test", "resources", "terraform-check").toAbsolutePath();
    private static final TerraformCheck CHECK = TerraformCheck.forProject(Path.of("pom.xml"));

    /** All fixtures parsed by one node process; each test checks its own folder of it. */
    private static Hcl.Tree fixtures;

    @BeforeAll
    static void parseFixtures() {
        fixtures = Hcl.parseTree(FIXTURES);
    }

    @Test
    void projectTerraformHasNoFindings() {
        // Fails rather than skips: a deleted or moved module must not pass unnoticed.
        assertThat(TERRAFORM).as("the Terraform module").isDirectory();
        assertThat(Hcl.tfFiles(TERRAFORM)).as(".tf files under " + TERRAFORM).isNotEmpty();

        List<Finding> findings = CHECK.check(TERRAFORM);

        assertThat(findings)
                .withFailMessage(() -> findings.size() + " findings in terraform/:\n" + findings.stream()
                        .map(Finding::toString).collect(Collectors.joining("\n")))
                .isEmpty();
    }

    @Test
    void expectsTheRuntimeOfTheFlinkVersionInThePom() {
        assertThat(CHECK.runtime()).isEqualTo("FLINK-1_19");
    }

    @Test
    void fixtureUsingEverySupportedConstructPasses() {
        List<Finding> findings = CHECK.check(FIXTURES.resolve("correct"), fixtures);

        assertThat(findings).withFailMessage(() -> findings.stream().map(Finding::toString)
                .collect(Collectors.joining("\n"))).isEmpty();
    }

    static Stream<Arguments> brokenFixtures() {
        return Stream.of(
                arguments("parse-error", "main.tf", Kind.PARSE_ERROR,
                        List.of("main.tf:9", "Invalid expression")),
                arguments("undefined-variable", "main.tf", Kind.UNDEFINED_REFERENCE,
                        List.of("var.suffix", "no variable \"suffix\"")),
                arguments("undefined-local", "main.tf", Kind.UNDEFINED_REFERENCE,
                        List.of("local.environment", "no local \"environment\"")),
                arguments("undefined-data", "main.tf", Kind.UNDEFINED_REFERENCE,
                        List.of("data.aws_region.current", "no data \"aws_region\" \"current\"")),
                arguments("undefined-resource", "main.tf", Kind.UNDEFINED_REFERENCE,
                        List.of("aws_s3_bucket.jars", "no resource \"aws_s3_bucket\" \"jars\"")),
                arguments("undefined-module", "main.tf", Kind.UNDEFINED_REFERENCE,
                        List.of("module.application", "no module \"application\"")),
                arguments("module-unknown-argument", "main.tf", Kind.MODULE_ARGUMENT,
                        List.of("module \"app\" passes \"bucket\"", "declares no variable \"bucket\"")),
                arguments("module-missing-variable", "main.tf", Kind.MODULE_ARGUMENT,
                        List.of("module \"app\" does not pass \"jar_path\"", "no default")),
                arguments("module-unknown-output", "main.tf", Kind.UNDEFINED_REFERENCE,
                        List.of("module.app.role_arn", "declares no output \"role_arn\"")),
                arguments("runtime-mismatch", "main.tf", Kind.RUNTIME_MISMATCH,
                        List.of("aws_kinesisanalyticsv2_application.this", "\"FLINK-1_18\"",
                                "expected \"FLINK-1_19\"")),
                arguments("runtime-unchecked", "main.tf", Kind.RUNTIME_MISMATCH,
                        List.of("FLINK-1_${var.flink_minor}", "cannot be checked")),
                arguments("property-groups-unknown-key", "main.tf", Kind.PROPERTY_GROUPS,
                        List.of("property group 'source', key 'strat.position': unknown key",
                                "did you mean 'start.position'?")),
                arguments("property-groups-missing-endpoint", "main.tf", Kind.PROPERTY_GROUPS,
                        List.of("module \"app\"", "property group 'opensearch', key 'endpoint': missing")),
                arguments("property-groups-bad-value", "orders.json", Kind.PROPERTY_GROUPS,
                        List.of("property group 'opensearch', key 'bulk.max.actions': got 'lots', expected")),
                arguments("property-groups-unchecked", "main.tf", Kind.PROPERTY_GROUPS,
                        List.of("merge(local.base, var.extra_property_groups)", "cannot be checked")),
                arguments("iam-wildcard-action", "main.tf", Kind.IAM_WILDCARD_ACTION,
                        List.of("statement \"ReadJars\"", "\"s3:Get*\"")),
                arguments("iam-star-resource", "main.tf", Kind.IAM_WILDCARD_RESOURCE,
                        List.of("statement #1", "\"*\" for dynamodb:DescribeTable")),
                arguments("iam-star-unexplained", "main.tf", Kind.IAM_UNEXPLAINED_STAR,
                        List.of("line 7", "no # comment")),
                arguments("iam-inline-policy", "main.tf", Kind.IAM_INLINE_POLICY,
                        List.of("aws_iam_role_policy.application.policy",
                                "does not reference data.aws_iam_policy_document")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFixtures")
    void findsExactlyTheDefectOfEachBrokenFixture(String fixture, String file, Kind kind, List<String> words) {
        List<Finding> findings = CHECK.check(FIXTURES.resolve(fixture), fixtures);

        assertThat(findings).as(fixture).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(kind);
            assertThat(finding.file()).isEqualTo(FIXTURES.resolve(fixture).resolve(file));
            assertThat(finding.message()).contains(words);
        });
    }

    @Test
    void everyFixtureIsTested() throws IOException {
        Set<String> tested = brokenFixtures().map(arguments -> (String) arguments.get()[0]).collect(Collectors.toSet());
        tested.add("correct");
        try (Stream<Path> folders = Files.list(FIXTURES)) {
            assertThat(folders.filter(Files::isDirectory).map(folder -> folder.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(tested);
        }
    }
}
