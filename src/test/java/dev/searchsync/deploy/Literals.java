package dev.searchsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Follows var.x to its default and local.x to its value: settings are written once and passed on by name. */
final class Literals {
    private static final Pattern NAMED = Pattern.compile("\\$\\{\\s*(var|local)\\.([A-Za-z_][A-Za-z0-9_-]*)\\s*}");
    /** Locals may refer to locals; a cycle is a Terraform error, and must not hang the check. */
    private static final int MAX_DEPTH = 8;

    private Literals() {}

    /** The text {@code value} stands for in {@code module}, when Terraform knows it without a plan. */
    static Optional<String> resolve(TerraformModule module, JsonNode value) {
        return resolve(module, value, 0);
    }

    private static Optional<String> resolve(TerraformModule module, JsonNode value, int depth) {
        if (value == null || depth > MAX_DEPTH) {
            return Optional.empty();
        }
        if (value.isNumber() || value.isBoolean()) {
            return Optional.of(value.asText());
        }
        if (!value.isTextual()) {
            return Optional.empty();
        }
        String text = value.asText();
        if (Templates.isLiteral(text)) {
            return Optional.of(Templates.unescape(text));
        }
        Matcher named = NAMED.matcher(text);
        if (!named.matches()) {
            return Optional.empty();
        }
        if (named.group(1).equals("var")) {
            TerraformModule.Declaration variable = module.variables().get(named.group(2));
            // A default is a literal by Terraform's rules; whoever passes the variable may still override it.
            return variable == null ? Optional.empty() : resolve(module, variable.body().get("default"), depth + 1);
        }
        TerraformModule.Declaration local = module.locals().get(named.group(2));
        return local == null ? Optional.empty() : resolve(module, local.body(), depth + 1);
    }
}
