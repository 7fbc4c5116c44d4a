package dev.searchsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.searchsync.config.InvalidConfigurationException;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.deploy.Finding.Kind;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the job's own validation on the property groups Terraform sets: bad configuration fails the build, not MSF. */
final class PropertyGroupCheck {
    /*
     * Property groups are found by convention. In a module: every locals entry whose name ends in property_groups
     * and is an object literal (the keys the module manages), and the default of variable "property_groups". In a
     * caller: the property_groups argument of a module call, an object literal or
     * jsondecode(file("<relative>.json")). The module's managed keys win over the caller's, as in its own merge.
     * One value can be applied several ways (by the module itself, by each example): a problem with it is
     * reported once, naming every way it was seen.
     */
    static final String VARIABLE = "property_groups";

    private static final Pattern JSON_FILE = Pattern.compile("\\$\\{\\s*jsondecode\\(\\s*file\\(\\s*"
            + "\"(?:\\$\\{\\s*path\\.module\\s*}/)?([^\"$]+\\.json)\"\\s*\\)\\s*\\)\\s*}");
    private static final Pattern PROBLEM =
            Pattern.compile("property group '([^']*)'(?:, key '([^']*)')?: (.*)", Pattern.DOTALL);

    private final ModuleTree tree;
    /** Problem text by file, with the ways of applying the groups that showed it. */
    private final Map<Path, Map<String, Set<String>>> problems = new LinkedHashMap<>();

    PropertyGroupCheck(ModuleTree tree) {
        this.tree = tree;
    }

    /** Checks the module applied by itself and each of its calls of a local module. */
    void add(TerraformModule module) {
        checkItself(module);
        module.modules().forEach((name, call) -> module.localSource(call).flatMap(tree::module).ifPresent(callee ->
                checkCall(module, name, call, callee)));
    }

    List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        problems.forEach((file, texts) -> texts.forEach((text, contexts) -> findings.add(new Finding(file,
                Kind.PROPERTY_GROUPS, text + " (as applied by " + String.join("; ", contexts) + ")"))));
        return findings;
    }

    /**
     * The module applied by itself. A module whose {@code property_groups} variable has no default cannot be
     * applied without a caller, so only its calls are checked.
     */
    private void checkItself(TerraformModule module) {
        TerraformModule.Declaration variable = module.variables().get(VARIABLE);
        List<TerraformModule.Declaration> managed = managed(module);
        JsonNode defaults = variable == null ? null : variable.body().get("default");
        boolean hasDefaults = defaults != null && defaults.isObject() && defaults.size() > 0;
        if ((variable != null && defaults == null) || (managed.isEmpty() && !hasDefaults)) {
            return;
        }
        String context = Finding.display(module.dir()) + " itself";
        EffectiveGroups groups = new EffectiveGroups();
        if (hasDefaults) {
            groups.addTerraform(variable.file(), defaults, (file, text) -> report(file, text, context));
        }
        managed.forEach(local -> groups.addTerraform(local.file(), local.body(), (file, text) -> report(file, text,
                context)));
        validate(groups, managed.isEmpty() ? variable.file() : managed.get(0).file(), context);
    }

    private void checkCall(TerraformModule caller, String name, TerraformModule.Declaration call,
            TerraformModule callee) {
        List<TerraformModule.Declaration> managed = managed(callee);
        if (managed.isEmpty() && !callee.variables().containsKey(VARIABLE)) {
            return; // not an application module
        }
        String context = "module \"" + name + "\" in " + Finding.display(caller.dir());
        EffectiveGroups groups = new EffectiveGroups();
        JsonNode passed = call.body().get(VARIABLE);
        if (passed == null) {
            TerraformModule.Declaration variable = callee.variables().get(VARIABLE);
            JsonNode defaults = variable == null ? null : variable.body().get("default");
            if (defaults != null && defaults.isObject()) {
                groups.addTerraform(variable.file(), defaults, (file, text) -> report(file, text, context));
            }
        } else if (passed.isObject()) {
            groups.addTerraform(call.file(), passed, (file, text) -> report(file, text, context));
        } else {
            Matcher file = JSON_FILE.matcher(passed.asText(""));
            if (!file.matches()) {
                report(call.file(), "property_groups = " + passed + " cannot be checked: expected an object literal"
                        + " or jsondecode(file(\"${path.module}/<file>.json\"))", context);
                return;
            }
            Path json = caller.dir().resolve(file.group(1)).normalize();
            try {
                groups.addJson(json, PropertyGroups.fromJsonFile(json));
            } catch (UncheckedIOException | IllegalArgumentException e) {
                report(call.file(), e.getMessage(), context);
                return;
            }
        }
        managed.forEach(local -> groups.addTerraform(local.file(), local.body(), (file, text) -> report(file, text,
                context)));
        validate(groups, call.file(), context);
    }

    /** The module's own literals: locals named {@code *property_groups} that are objects, in file order. */
    private static List<TerraformModule.Declaration> managed(TerraformModule module) {
        List<TerraformModule.Declaration> found = new ArrayList<>();
        for (Map.Entry<String, TerraformModule.Declaration> local : module.locals().entrySet()) {
            if (local.getKey().endsWith(VARIABLE) && local.getValue().body().isObject()) {
                found.add(local.getValue());
            }
        }
        return found;
    }

    private void validate(EffectiveGroups groups, Path site, String context) {
        try {
            JobConfig.from(groups.toPropertyGroups());
        } catch (InvalidConfigurationException e) {
            for (String problem : e.problems()) {
                Matcher parts = PROBLEM.matcher(problem);
                if (!parts.matches() || !knownOnlyAtApply(groups, parts.group(1), parts.group(2), parts.group(3))) {
                    report(file(groups, parts, site), problem, context);
                }
            }
        }
    }

    /**
     * A value written as a Terraform expression ({@code "${...}"}) is only known at apply time; the job sees its
     * text here and would reject it, so problems about it, or computed from it (their text names its key), say
     * nothing and are dropped, also in another group that names it as {@code group/key} (events/* keys refused
     * because {@code source/type} is an expression, say). So are those about a group given whole by an
     * expression. Unknown groups and keys stay: names never depend on values.
     */
    private static boolean knownOnlyAtApply(EffectiveGroups groups, String group, String key, String text) {
        if (text.startsWith("unknown group") || text.startsWith("unknown key")) {
            return false;
        }
        if (groups.isOpaque(group)) {
            return true;
        }
        if (groups.expressionPaths().stream().anyMatch(path -> text.contains(path))) {
            return true;
        }
        if (key == null) {
            return false;
        }
        EffectiveGroups.Value value = groups.value(group, key);
        return value != null && value.expression() || groups.expressionKeys(group).stream()
                .anyMatch(other -> Pattern.compile("(?<![\\w.])" + Pattern.quote(other) + "(?![\\w.])").matcher(text)
                        .find());
    }

    /**
     * The file to change: where a value or an unknown group was written; for what is missing or does not fit
     * together, where the groups are put together (the module call, or the module's own literals).
     */
    private static Path file(EffectiveGroups groups, Matcher parts, Path site) {
        if (!parts.matches()) {
            return site;
        }
        EffectiveGroups.Value value = parts.group(2) == null ? null : groups.value(parts.group(1), parts.group(2));
        if (value != null) {
            return value.origin();
        }
        Path origin = groups.origin(parts.group(1));
        return parts.group(2) == null && parts.group(3).startsWith("unknown group") && origin != null ? origin : site;
    }

    private void report(Path file, String text, String context) {
        problems.computeIfAbsent(file, f -> new LinkedHashMap<>())
                .computeIfAbsent(text, t -> new LinkedHashSet<>())
                .add(context);
    }
}
