package dev.searchsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.searchsync.deploy.Finding.Kind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Keeps the application's role least-privilege where it is written, rather than in an audit after a deploy. */
final class IamCheck {
    /**
     * Actions AWS only authorizes on {@code "*"}: their "Resource types" column is empty in the AWS Service
     * Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/, the pages
     * "Actions, resources, and condition keys for Amazon CloudWatch", "... Amazon DynamoDB" and "... Amazon EC2").
     * Add an action here only after checking it there.
     */
    static final Set<String> STAR_ONLY_ACTIONS = Set.of(
            "cloudwatch:PutMetricData",
            "dynamodb:ListStreams",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeVpcs",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeDhcpOptions");

    private static final String POLICY_DOCUMENT = "aws_iam_policy_document";
    private static final List<String> POLICY_RESOURCES = List.of("aws_iam_role_policy", "aws_iam_policy");
    private static final Pattern DOCUMENT_JSON = Pattern.compile(
            "(?<![\\w.])data\\.aws_iam_policy_document\\.[A-Za-z_][A-Za-z0-9_-]*(\\s*\\[[^\\]]*])?\\.json\\b");
    private static final Pattern STAR_RESOURCES = Pattern.compile("^\\s*resources\\s*=\\s*\\[\\s*\"\\*\"\\s*]");
    private static final int COMMENT_LINES_ABOVE = 3;

    private IamCheck() {}

    static List<Finding> check(TerraformModule module) {
        List<Finding> findings = new ArrayList<>();
        module.dataOfType(POLICY_DOCUMENT).forEach((name, document) -> {
            List<JsonNode> statements = statements(document.body());
            for (int i = 0; i < statements.size(); i++) {
                checkStatement(document.file(), "data." + POLICY_DOCUMENT + "." + name, i, statements.get(i), findings);
            }
        });
        for (String type : POLICY_RESOURCES) {
            module.resourcesOfType(type).forEach((name, resource) -> {
                JsonNode policy = resource.body().get("policy");
                boolean fromDocument = policy != null && policy.isTextual() && Templates.code(policy.asText())
                        .stream().anyMatch(code -> DOCUMENT_JSON.matcher(code).find());
                if (policy != null && !fromDocument) {
                    findings.add(new Finding(resource.file(), Kind.IAM_INLINE_POLICY, type + "." + name
                            + ".policy does not reference data." + POLICY_DOCUMENT + ".<name>.json: build policies"
                            + " with " + POLICY_DOCUMENT + ", whose statements this check can read"));
                }
            });
        }
        module.files().keySet().forEach(file -> checkStarsExplained(file, findings));
        return findings;
    }

    /** {@code statement} blocks, and the {@code content} of {@code dynamic "statement"} blocks. */
    private static List<JsonNode> statements(JsonNode document) {
        List<JsonNode> statements = new ArrayList<>();
        document.path("statement").forEach(statements::add);
        for (JsonNode dynamic : document.path("dynamic").path("statement")) {
            dynamic.path("content").forEach(statements::add);
        }
        return statements;
    }

    private static void checkStatement(Path file, String document, int index, JsonNode statement,
            List<Finding> findings) {
        String where = document + " statement " + (statement.hasNonNull("sid")
                ? "\"" + statement.get("sid").asText() + "\"" : "#" + (index + 1));
        for (String argument : List.of("actions", "not_actions")) {
            for (JsonNode action : statement.path(argument)) {
                String known = Templates.literalParts(action.asText(""));
                if (known.contains("*") || known.contains("?")) {
                    findings.add(new Finding(file, Kind.IAM_WILDCARD_ACTION, where + ": " + argument + " has \""
                            + action.asText() + "\": a wildcard also grants whatever the service adds later;"
                            + " list the actions"));
                }
            }
        }
        boolean starResource = false;
        for (JsonNode resource : statement.path("resources")) {
            starResource |= resource.asText("").equals("*");
        }
        if (!starResource) {
            return;
        }
        JsonNode actions = statement.path("actions");
        List<String> notStarOnly = new ArrayList<>();
        if (!actions.isArray() || actions.isEmpty()) {
            notStarOnly.add(actions.isMissingNode() ? "(no actions list)" : actions.toString());
        } else {
            actions.forEach(action -> {
                if (!STAR_ONLY_ACTIONS.contains(action.asText(""))) {
                    notStarOnly.add(action.asText(action.toString()));
                }
            });
        }
        if (!notStarOnly.isEmpty()) {
            findings.add(new Finding(file, Kind.IAM_WILDCARD_RESOURCE, where + ": resources has \"*\" for "
                    + String.join(", ", notStarOnly) + ", which AWS lets you scope to named resources; only "
                    + STAR_ONLY_ACTIONS.stream().sorted().collect(Collectors.joining(", "))
                    + " may have \"*\" (IamCheck.STAR_ONLY_ACTIONS)"));
        }
    }

    /** A reader of the module must learn from the module why AWS requires {@code "*"}, not from an audit. */
    private static void checkStarsExplained(Path file, List<Finding> findings) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (!STAR_RESOURCES.matcher(lines.get(i)).find()) {
                continue;
            }
            boolean explained = false;
            for (int j = Math.max(0, i - COMMENT_LINES_ABOVE); j <= i; j++) {
                explained |= hasComment(lines.get(j));
            }
            if (!explained) {
                findings.add(new Finding(file, Kind.IAM_UNEXPLAINED_STAR, "line " + (i + 1) + ": resources = [\"*\"]"
                        + " has no # comment on that line or the " + COMMENT_LINES_ABOVE + " lines above saying why"
                        + " AWS requires \"*\""));
            }
        }
    }

    /** A {@code #} or {@code //} comment, outside of quoted strings. */
    private static boolean hasComment(String line) {
        String code = line.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        return code.contains("#") || code.contains("//");
    }
}
