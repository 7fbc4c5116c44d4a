package dev.searchsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.searchsync.deploy.Finding.Kind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds undeclared names and module calls that do not fit, without the providers terraform validate needs. */
final class ReferenceCheck {
    private static final String NAME = "[A-Za-z_][A-Za-z0-9_-]*";
    /** {@code data.aws_x.y} and {@code each.value.aws_x} hold names, but not references of their own. */
    private static final String NOT_AN_ATTRIBUTE = "(?<![\\w.])";

    private static final Pattern VARIABLE = Pattern.compile(NOT_AN_ATTRIBUTE + "var\\.(" + NAME + ")");
    private static final Pattern LOCAL = Pattern.compile(NOT_AN_ATTRIBUTE + "local\\.(" + NAME + ")");
    private static final Pattern DATA = Pattern.compile(NOT_AN_ATTRIBUTE + "data\\.(" + NAME + ")\\.(" + NAME + ")");
    private static final Pattern MODULE = Pattern.compile(
            NOT_AN_ATTRIBUTE + "module\\.(" + NAME + ")(?:\\s*\\[[^\\]]*])?(?:\\s*\\.\\s*(" + NAME + "))?");
    /** Resource types of the providers this project may use; anything else followed by a dot is an attribute. */
    private static final Pattern RESOURCE = Pattern.compile(
            NOT_AN_ATTRIBUTE + "((?:aws|random|null|archive|time|tls)_[A-Za-z0-9_-]*)\\.(" + NAME + ")");
    private static final Pattern FOR = Pattern.compile(
            "\\bfor\\s+(" + NAME + ")(?:\\s*,\\s*(" + NAME + "))?\\s+in\\b");
    private static final Pattern ITERATOR = Pattern.compile("\\$\\{\\s*(" + NAME + ")\\s*}");

    /** What a module call may pass besides the called module's variables. */
    private static final Set<String> META_ARGUMENTS =
            Set.of("source", "version", "providers", "count", "for_each", "depends_on");

    private final TerraformModule module;
    private final ModuleTree tree;
    private final Set<Finding> findings = new LinkedHashSet<>();

    private ReferenceCheck(TerraformModule module, ModuleTree tree) {
        this.module = module;
        this.tree = tree;
    }

    static List<Finding> check(TerraformModule module, ModuleTree tree) {
        ReferenceCheck check = new ReferenceCheck(module, tree);
        check.checkExpressions();
        check.checkModuleCalls();
        return new ArrayList<>(check.findings);
    }

    private void checkExpressions() {
        List<Map.Entry<Path, String>> code = new ArrayList<>();
        module.forEachString((file, text) -> Templates.code(text).forEach(part -> code.add(Map.entry(file, part))));
        Set<String> iterators = iterators(code);
        for (Map.Entry<Path, String> entry : code) {
            Path file = entry.getKey();
            String text = entry.getValue();
            each(VARIABLE, text, m -> {
                if (!module.variables().containsKey(m.group(1))) {
                    report(file, Kind.UNDEFINED_REFERENCE, "var." + m.group(1) + ": no variable \"" + m.group(1)
                            + "\" is declared in " + where());
                }
            });
            each(LOCAL, text, m -> {
                if (!module.locals().containsKey(m.group(1))) {
                    report(file, Kind.UNDEFINED_REFERENCE, "local." + m.group(1) + ": no local \"" + m.group(1)
                            + "\" is defined in any locals block of " + where());
                }
            });
            each(DATA, text, m -> {
                if (!module.data().containsKey(m.group(1) + "." + m.group(2))) {
                    report(file, Kind.UNDEFINED_REFERENCE, "data." + m.group(1) + "." + m.group(2) + ": no data \""
                            + m.group(1) + "\" \"" + m.group(2) + "\" is declared in " + where());
                }
            });
            each(RESOURCE, text, m -> {
                if (!iterators.contains(m.group(1)) && !module.resources().containsKey(m.group(1) + "." + m.group(2))) {
                    report(file, Kind.UNDEFINED_REFERENCE, m.group(1) + "." + m.group(2) + ": no resource \""
                            + m.group(1) + "\" \"" + m.group(2) + "\" is declared in " + where());
                }
            });
            each(MODULE, text, m -> checkModuleReference(file, m.group(1), m.group(2)));
        }
    }

    private void checkModuleReference(Path file, String name, String output) {
        TerraformModule.Declaration call = module.modules().get(name);
        if (call == null) {
            report(file, Kind.UNDEFINED_REFERENCE, "module." + name + ": no module \"" + name + "\" is declared in "
                    + where());
            return;
        }
        Optional<TerraformModule> callee = module.localSource(call).flatMap(tree::module);
        if (output != null && callee.isPresent() && !callee.get().outputs().containsKey(output)) {
            report(file, Kind.UNDEFINED_REFERENCE, "module." + name + "." + output + ": module \"" + name
                    + "\" (" + Finding.display(callee.get().dir()) + ") declares no output \"" + output + "\"");
        }
    }

    private void checkModuleCalls() {
        module.modules().forEach((name, call) -> module.localSource(call).ifPresent(dir -> {
            Optional<TerraformModule> found = tree.module(dir);
            if (found.isEmpty()) {
                if (!tree.isBroken(dir)) {
                    report(call.file(), Kind.UNDEFINED_REFERENCE, "module \"" + name + "\": source \""
                            + call.body().path("source").asText() + "\" is " + Finding.display(dir)
                            + ", which holds no .tf files in the checked tree");
                }
                return;
            }
            TerraformModule callee = found.get();
            call.body().fieldNames().forEachRemaining(argument -> {
                if (!META_ARGUMENTS.contains(argument) && !callee.variables().containsKey(argument)) {
                    report(call.file(), Kind.MODULE_ARGUMENT, "module \"" + name + "\" passes \"" + argument
                            + "\", but " + Finding.display(callee.dir()) + " declares no variable \"" + argument
                            + "\"");
                }
            });
            callee.variables().forEach((variable, declaration) -> {
                if (!declaration.body().has("default") && !call.body().has(variable)) {
                    report(call.file(), Kind.MODULE_ARGUMENT, "module \"" + name + "\" does not pass \"" + variable
                            + "\", which " + Finding.display(callee.dir()) + " requires (its variable has no default)");
                }
            });
        }));
    }

    /**
     * Names that stand for the current element rather than for something declared: for-expression symbols and
     * dynamic-block iterators (the block's label, or its {@code iterator} argument).
     */
    private Set<String> iterators(List<Map.Entry<Path, String>> code) {
        Set<String> names = new HashSet<>();
        for (Map.Entry<Path, String> entry : code) {
            each(FOR, entry.getValue(), m -> {
                names.add(m.group(1));
                if (m.group(2) != null) {
                    names.add(m.group(2));
                }
            });
        }
        module.forEachObject((file, object) -> {
            JsonNode dynamic = object.get("dynamic");
            if (dynamic != null && dynamic.isObject()) {
                dynamic.fields().forEachRemaining(block -> {
                    names.add(block.getKey());
                    for (JsonNode body : block.getValue()) {
                        Matcher iterator = ITERATOR.matcher(body.path("iterator").asText(""));
                        if (iterator.matches()) {
                            names.add(iterator.group(1));
                        }
                    }
                });
            }
        });
        return names;
    }

    private String where() {
        return "this module (" + Finding.display(module.dir()) + ")";
    }

    private void report(Path file, Kind kind, String message) {
        findings.add(new Finding(file, kind, message));
    }

    private static void each(Pattern pattern, String text, Consumer<Matcher> action) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            action.accept(matcher);
        }
    }
}
