package dev.searchsync.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.searchsync.config.SourceOptions;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The module's role follows the one input it is given: read permissions on that stream only, none of the other
 * inputs'; the CloudWatch Logs input adds its subscriptions and their delivery role; and the keys that pick the
 * input are the module's, which callers cannot override.
 */
class TerraformInputsTest {
    private static final Path TERRAFORM = Path.of("terraform").toAbsolutePath();
    /**
     * How the policy makes a statement depend on a variable (or a local derived from one):
     * {@code for_each = var.x == null ? [] : [value]}.
     */
    private static final Pattern GUARD =
            Pattern.compile("\\$\\{(?:var|local)\\.([\\w.]+) == null \\? \\[] : \\[(.+)]}");
    private static final String KINESIS = "kinesis_stream_arn";
    private static final String KINESIS_KEY = "kinesis_kms_key_arn";
    private static final String DYNAMODB = "dynamodb_stream_arn";
    private static final String LOGS = "cloudwatch_logs";
    /** The local that is the CloudWatch Logs stream's key: set only with the input and its kms_key_arn. */
    private static final String LOGS_KEY = "logs_kms_key_arn";
    private static final String LOGS_STREAM = "${var.cloudwatch_logs.stream_arn}";
    private static final String DOMAIN = "opensearch.domain_arn";
    private static final List<String> KINESIS_READS = List.of("kinesis:DescribeStreamSummary", "kinesis:ListShards",
            "kinesis:GetShardIterator", "kinesis:GetRecords");

    private static TerraformModule module;

    /** A statement of the role's policy; {@code guard} is the variable it needs set, or null when it is always there. */
    private record Statement(String sid, String guard, Set<String> actions, List<String> resources, JsonNode body) {}

    @BeforeAll
    static void parseModule() {
        Hcl.Tree tree = Hcl.parseTree(TERRAFORM);
        Map<Path, JsonNode> own = new TreeMap<>();
        tree.files().forEach((file, json) -> {
            if (file.getParent().equals(tree.root())) {
                own.put(file, json); // the module, not its examples
            }
        });
        module = new TerraformModule(tree.root(), own);
    }

    @Test
    void kinesisInputMayReadItsStreamAndNothingOfDynamoDb() {
        List<Statement> granted = grantedWith(Set.of(KINESIS, DOMAIN));

        assertThat(actions(granted, "kinesis:")).containsExactlyInAnyOrder("kinesis:DescribeStreamSummary",
                "kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords");
        assertThat(granted).filteredOn(statement -> !actions(List.of(statement), "kinesis:").isEmpty())
                .allSatisfy(statement -> assertThat(statement.resources()).as(statement.sid())
                        .containsExactly("${var." + KINESIS + "}"));
        assertThat(actions(granted, "dynamodb:")).isEmpty();
        assertThat(actions(granted, "kms:")).as("no key given, no key permission").isEmpty();
    }

    @Test
    void cloudWatchLogsInputMayReadItsStreamAndNothingOfTheOthers() {
        List<Statement> granted = grantedWith(Set.of(LOGS, DOMAIN));

        assertThat(actions(granted, "kinesis:")).containsExactlyInAnyOrderElementsOf(KINESIS_READS);
        assertThat(granted).filteredOn(statement -> !actions(List.of(statement), "kinesis:").isEmpty())
                .allSatisfy(statement -> assertThat(statement.resources()).as(statement.sid())
                        .containsExactly(LOGS_STREAM));
        assertThat(actions(granted, "dynamodb:")).isEmpty();
        assertThat(actions(granted, "kms:")).as("no key given, no key permission").isEmpty();
    }

    @Test
    void cloudWatchLogsKeyDecryptsOnlyThroughKinesisForThatStream() {
        List<Statement> granted = grantedWith(Set.of(LOGS, LOGS_KEY, DOMAIN));

        assertThat(granted).filteredOn(statement -> !actions(List.of(statement), "kms:").isEmpty())
                .singleElement().satisfies(statement -> {
                    assertThat(statement.actions()).containsExactly("kms:Decrypt");
                    assertThat(statement.resources()).containsExactly("${local." + LOGS_KEY + "}");
                    assertThat(conditions(statement)).containsOnly(
                            Map.entry("StringEquals kms:EncryptionContext:aws:kinesis:arn", List.of(LOGS_STREAM)),
                            Map.entry("StringEquals kms:ViaService",
                                    List.of("kinesis.${local.logs_stream_region}.amazonaws.com")));
                });
        assertThat(module.locals().get(LOGS_KEY).body().asText())
                .isEqualTo("${var.cloudwatch_logs == null ? null : var.cloudwatch_logs.kms_key_arn}");
    }

    /** One filter per named log group, into the stream the job reads, written with the delivery role. */
    @Test
    void eachLogGroupIsSubscribedToTheStreamOnceItsRoleMayWrite() {
        JsonNode filter = module.resourcesOfType("aws_cloudwatch_log_subscription_filter").get("logs").body();

        assertThat(filter.path("for_each").asText())
                .isEqualTo("${var.cloudwatch_logs == null ? toset([]) : toset(var.cloudwatch_logs.log_group_names)}");
        assertThat(filter.path("log_group_name").asText()).isEqualTo("${each.value}");
        assertThat(filter.path("destination_arn").asText()).isEqualTo(LOGS_STREAM);
        assertThat(filter.path("filter_pattern").asText()).isEqualTo("${var.cloudwatch_logs.filter_pattern}");
        assertThat(filter.path("role_arn").asText()).isEqualTo("${aws_iam_role.logs[0].arn}");
        assertThat(texts(filter.path("depends_on"))).as("PutSubscriptionFilter test-writes with the role's permission")
                .containsExactly("${aws_iam_role_policy.logs}");
        assertThat(module.locals().get("stream_arn").body().asText()).as("the stream the job reads")
                .startsWith("${var.cloudwatch_logs != null ? var.cloudwatch_logs.stream_arn : ");
    }

    @Test
    void onlyCloudWatchLogsOfThisAccountAndRegionMayAssumeTheDeliveryRole() {
        JsonNode role = module.resourcesOfType("aws_iam_role").get("logs").body();
        assertThat(role.path("assume_role_policy").asText())
                .isEqualTo("${data.aws_iam_policy_document.logs_assume_role[0].json}");
        assertThat(role.path("count").asText()).isEqualTo("${var.cloudwatch_logs == null ? 0 : 1}");

        List<Statement> trust = statements("logs_assume_role");
        assertThat(trust).singleElement().satisfies(statement -> {
            assertThat(statement.actions()).containsExactly("sts:AssumeRole");
            JsonNode principals = statement.body().path("principals");
            assertThat(principals).hasSize(1);
            assertThat(principals.get(0).path("type").asText()).isEqualTo("Service");
            assertThat(texts(principals.get(0).path("identifiers")))
                    .containsExactly("logs.${local.region}.amazonaws.com");
            assertThat(conditions(statement)).containsOnly(
                    Map.entry("StringEquals aws:SourceAccount", List.of("${local.account_id}")),
                    Map.entry("StringLike aws:SourceArn",
                            List.of("arn:${local.partition}:logs:${local.region}:${local.account_id}:*")));
        });
    }

    @Test
    void theDeliveryRoleMayOnlyPutRecordsIntoThatStream() {
        JsonNode policy = module.resourcesOfType("aws_iam_role_policy").get("logs").body();
        assertThat(policy.path("role").asText()).isEqualTo("${aws_iam_role.logs[0].id}");
        assertThat(policy.path("policy").asText()).isEqualTo("${data.aws_iam_policy_document.logs[0].json}");

        List<Statement> unencrypted = statements("logs").stream()
                .filter(statement -> statement.guard() == null).collect(Collectors.toList());
        assertThat(unencrypted).singleElement().satisfies(statement -> {
            assertThat(statement.actions()).containsExactly("kinesis:PutRecord");
            assertThat(statement.resources()).containsExactly(LOGS_STREAM);
            assertThat(statement.body().has("condition")).isFalse();
        });

        List<Statement> encrypted = statements("logs").stream()
                .filter(statement -> statement.guard() == null || statement.guard().equals(LOGS_KEY))
                .collect(Collectors.toList());
        assertThat(actions(encrypted, "")).containsExactly("kinesis:PutRecord", "kms:GenerateDataKey");
        assertThat(encrypted).filteredOn(statement -> statement.actions().contains("kms:GenerateDataKey"))
                .singleElement().satisfies(statement -> {
                    assertThat(statement.actions()).containsExactly("kms:GenerateDataKey");
                    assertThat(statement.resources()).containsExactly("${local." + LOGS_KEY + "}");
                    assertThat(conditions(statement)).containsOnly(
                            Map.entry("StringEquals kms:EncryptionContext:aws:kinesis:arn", List.of(LOGS_STREAM)),
                            Map.entry("StringEquals kms:ViaService",
                                    List.of("kinesis.${local.logs_stream_region}.amazonaws.com")));
                });
    }

    @Test
    void kinesisKeyDecryptsOnlyThroughKinesisForThatStream() {
        List<Statement> granted = grantedWith(Set.of(KINESIS, KINESIS_KEY, DOMAIN));

        List<Statement> kms = granted.stream().filter(statement -> !actions(List.of(statement), "kms:").isEmpty())
                .collect(Collectors.toList());
        assertThat(kms).singleElement().satisfies(statement -> {
            assertThat(statement.actions()).containsExactly("kms:Decrypt");
            assertThat(statement.resources()).containsExactly("${var." + KINESIS_KEY + "}");
            assertThat(conditions(statement)).containsOnly(
                    Map.entry("StringEquals kms:EncryptionContext:aws:kinesis:arn", List.of("${var." + KINESIS + "}")),
                    Map.entry("StringEquals kms:ViaService", List.of("kinesis.${local.kinesis_region}.amazonaws.com")));
        });
        assertThat(module.locals().get("kinesis_region").body().asText())
                .isEqualTo("${var.kinesis_stream_arn == null ? null : split(\":\", var.kinesis_stream_arn)[3]}");
    }

    @Test
    void dynamoDbInputMayReadItsStreamAndNothingOfKinesis() {
        List<Statement> granted = grantedWith(Set.of(DYNAMODB, DOMAIN));

        assertThat(actions(granted, "dynamodb:")).containsExactlyInAnyOrder("dynamodb:DescribeStream",
                "dynamodb:GetShardIterator", "dynamodb:GetRecords", "dynamodb:DescribeTable", "dynamodb:ListStreams",
                "dynamodb:Scan");
        assertThat(granted).filteredOn(statement -> statement.actions().contains("dynamodb:GetRecords"))
                .singleElement().satisfies(statement -> assertThat(statement.resources())
                        .containsExactly("${var." + DYNAMODB + "}"));
        // The initial load scans the table itself, and nothing else.
        assertThat(granted).filteredOn(statement -> statement.actions().contains("dynamodb:Scan"))
                .singleElement().satisfies(statement -> assertThat(statement.resources())
                        .containsExactly("${local.table_arn}"));
        assertThat(actions(granted, "kinesis:")).isEmpty();
        assertThat(actions(granted, "kms:")).isEmpty();
    }

    /** What keeps the other inputs' permissions out: the module refuses none, two or three inputs, and a key alone. */
    @Test
    void inputsAreExclusiveAndTheKeyNeedsTheKinesisInput() {
        String given = "length(compact([var.dynamodb_stream_arn == null ? \"\" : \"dynamodb_stream_arn\","
                + " var.kinesis_stream_arn == null ? \"\" : \"kinesis_stream_arn\","
                + " var.cloudwatch_logs == null ? \"\" : \"cloudwatch_logs\"]))";
        assertThat(validations(DYNAMODB)).contains("${" + given + " > 0}", "${" + given + " < 2}");
        assertThat(validations(KINESIS_KEY))
                .contains("${var.kinesis_kms_key_arn == null || var.kinesis_stream_arn != null}");
    }

    @Test
    void moduleSetsTheInputKindAndStreamAndCallersCannot() {
        JsonNode managed = module.locals().get("managed_property_groups").body();

        assertThat(keys(managed.path(SourceOptions.GROUP)))
                .containsExactlyInAnyOrder(SourceOptions.TYPE.key(), SourceOptions.STREAM_ARN.key());
        assertThat(managed.path(SourceOptions.GROUP).path(SourceOptions.TYPE.key()).asText())
                .isEqualTo("${local.source_type}");
        assertThat(module.locals().get("source_type").body().asText()).isEqualTo("${var.cloudwatch_logs != null"
                + " ? \"cloudwatch-logs\" : (var.kinesis_stream_arn != null ? \"kinesis\" : \"dynamodb-streams\")}");
        assertThat(module.locals().get("stream_arn").body().asText()).isEqualTo("${var.cloudwatch_logs != null"
                + " ? var.cloudwatch_logs.stream_arn : coalesce(var.kinesis_stream_arn, var.dynamodb_stream_arn)}");

        String refused = String.join("\n", validations("property_groups"));
        List<String> managedKeys = new ArrayList<>();
        managed.fields().forEachRemaining(group -> keys(group.getValue())
                .forEach(key -> managedKeys.add(group.getKey() + "/" + key)));
        managedKeys.add("source/stream.name"); // would point the job at another stream than the role may read
        managedKeys.add("source/table.name");
        assertThat(managedKeys).allSatisfy(key -> assertThat(refused).as("var.property_groups refuses " + key)
                .contains("\"" + key + "\""));
    }

    /** A type the module can set that the job does not read would stop the application at its first start. */
    @Test
    void everyKindTheModuleSetsIsOneTheJobReads() {
        List<String> kinds = new ArrayList<>();
        Matcher quoted = Pattern.compile("\"([^\"]+)\"").matcher(module.locals().get("source_type").body().asText());
        while (quoted.find()) {
            kinds.add(quoted.group(1));
        }
        assertThat(kinds).containsExactlyInAnyOrder("cloudwatch-logs", "kinesis", "dynamodb-streams");
        assertThat(SourceOptions.TYPES).as("SourceOptions.TYPES").containsAll(kinds);
    }

    /**
     * The statements of the application role's policy present when exactly the variables (or locals) {@code set}
     * are non-null.
     */
    private static List<Statement> grantedWith(Set<String> set) {
        return statements("application").stream()
                .filter(statement -> statement.guard() == null || set.contains(statement.guard()))
                .collect(Collectors.toList());
    }

    private static List<Statement> statements(String policyDocument) {
        JsonNode document = module.dataOfType("aws_iam_policy_document").get(policyDocument).body();
        List<Statement> statements = new ArrayList<>();
        document.path("statement").forEach(body -> statements.add(statement(body, null, null)));
        for (JsonNode dynamic : document.path("dynamic").path("statement")) {
            String forEach = dynamic.path("for_each").asText();
            Matcher guard = GUARD.matcher(forEach);
            if (!guard.matches()) {
                fail("dynamic statement with for_each = " + forEach + ": this test cannot tell when it applies;"
                        + " write it as var.<name> == null ? [] : [<value>]");
            }
            dynamic.path("content").forEach(body -> statements.add(statement(body, guard.group(1), guard.group(2))));
        }
        return statements;
    }

    private static Statement statement(JsonNode body, String guard, String value) {
        Set<String> actions = new TreeSet<>();
        body.path("actions").forEach(action -> actions.add(action.asText()));
        List<String> resources = new ArrayList<>();
        body.path("resources").forEach(resource -> resources.add(value == null ? resource.asText()
                : resource.asText().replace("${statement.value}", "${" + value + "}")));
        return new Statement(body.path("sid").asText(null), guard, actions, resources, body);
    }

    private static Set<String> actions(List<Statement> statements, String prefix) {
        return statements.stream().flatMap(statement -> statement.actions().stream())
                .filter(action -> action.startsWith(prefix)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code "test variable" -> values}. */
    private static Map<String, List<String>> conditions(Statement statement) {
        Map<String, List<String>> conditions = new TreeMap<>();
        for (JsonNode condition : statement.body().path("condition")) {
            List<String> values = new ArrayList<>();
            condition.path("values").forEach(value -> values.add(value.asText()));
            conditions.put(condition.path("test").asText() + " " + condition.path("variable").asText(), values);
        }
        return conditions;
    }

    private static List<String> validations(String variable) {
        List<String> conditions = new ArrayList<>();
        module.variables().get(variable).body().path("validation")
                .forEach(validation -> conditions.add(validation.path("condition").asText()));
        return conditions;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
