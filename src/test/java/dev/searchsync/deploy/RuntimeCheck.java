package dev.searchsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.searchsync.deploy.Finding.Kind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The application's runtime must be the Flink the jar is built for: MSF accepts any, and the job then fails. */
final class RuntimeCheck {
    static final String APPLICATION = "aws_kinesisanalyticsv2_application";
    private static final String ARGUMENT = "runtime_environment";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{\\s*var\\.([A-Za-z_][A-Za-z0-9_-]*)\\s*}");

    private RuntimeCheck() {}

    /**
     * Checks {@code module}'s applications, and what its calls pass when a called module takes the runtime as a
     * variable (a default that is right does not help when a caller overrides it).
     */
    static List<Finding> check(TerraformModule module, ModuleTree tree, String expected) {
        List<Finding> findings = new ArrayList<>();
        module.resourcesOfType(APPLICATION).forEach((name, application) -> {
            JsonNode value = application.body().get(ARGUMENT);
            String where = APPLICATION + "." + name;
            if (value == null) {
                findings.add(new Finding(application.file(), Kind.RUNTIME_MISMATCH,
                        where + " has no " + ARGUMENT + ", expected \"" + expected + "\""));
            } else {
                compare(module, value, where + "." + ARGUMENT, application.file(), expected).ifPresent(findings::add);
            }
        });
        module.modules().forEach((name, call) -> module.localSource(call).flatMap(tree::module).ifPresent(callee ->
                callee.resourcesOfType(APPLICATION).values().forEach(application -> {
                    Matcher variable = VARIABLE.matcher(application.body().path(ARGUMENT).asText(""));
                    if (variable.matches() && call.body().has(variable.group(1))) {
                        compare(module, call.body().get(variable.group(1)),
                                "module \"" + name + "\" argument " + variable.group(1) + " (the callee's " + ARGUMENT
                                        + ")", call.file(), expected).ifPresent(findings::add);
                    }
                })));
        return findings;
    }

    private static Optional<Finding> compare(TerraformModule module, JsonNode value, String where, Path file,
            String expected) {
        Optional<String> runtime = Literals.resolve(module, value);
        if (runtime.isEmpty()) {
            return Optional.of(new Finding(file, Kind.RUNTIME_MISMATCH, where + " = " + value + " cannot be checked:"
                    + " expected the literal \"" + expected + "\", or var.x or local.x whose default or value is"
                    + " that literal"));
        }
        if (!runtime.get().equals(expected)) {
            return Optional.of(new Finding(file, Kind.RUNTIME_MISMATCH, where + " is \"" + runtime.get()
                    + "\", expected \"" + expected + "\" (the Flink version in pom.xml)"));
        }
        return Optional.empty();
    }
}
