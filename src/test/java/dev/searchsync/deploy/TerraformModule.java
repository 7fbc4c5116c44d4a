package dev.searchsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/** One Terraform module, a directory of .tf files, with its declarations gathered over its files as Terraform does. */
final class TerraformModule {
    /** A declaration's body as hcl2json gives it, and the file it is in (findings name that file). */
    record Declaration(Path file, JsonNode body) {}

    /** Blocks whose references name things that no longer exist, on purpose. */
    private static final Set<String> HISTORY_BLOCKS = Set.of("moved", "removed");

    private final Path dir;
    private final Map<Path, JsonNode> files;
    private final Map<String, Declaration> variables = new LinkedHashMap<>();
    private final Map<String, Declaration> locals = new LinkedHashMap<>();
    private final Map<String, Declaration> outputs = new LinkedHashMap<>();
    private final Map<String, Declaration> modules = new LinkedHashMap<>();
    private final Map<String, Declaration> resources = new LinkedHashMap<>();
    private final Map<String, Declaration> data = new LinkedHashMap<>();

    TerraformModule(Path dir, Map<Path, JsonNode> files) {
        this.dir = dir;
        this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        files.forEach((file, root) -> {
            collect(file, root.path("variable"), variables);
            collect(file, root.path("output"), outputs);
            collect(file, root.path("module"), modules);
            collectTyped(file, root.path("resource"), resources);
            collectTyped(file, root.path("data"), data);
            for (JsonNode block : root.path("locals")) {
                block.fields().forEachRemaining(local ->
                        locals.put(local.getKey(), new Declaration(file, local.getValue())));
            }
        });
    }

    Path dir() {
        return dir;
    }

    Map<Path, JsonNode> files() {
        return files;
    }

    Map<String, Declaration> variables() {
        return variables;
    }

    /** Each local's value (not a block body: locals have none). */
    Map<String, Declaration> locals() {
        return locals;
    }

    Map<String, Declaration> outputs() {
        return outputs;
    }

    Map<String, Declaration> modules() {
        return modules;
    }

    /** Managed resources by {@code "type.name"}. */
    Map<String, Declaration> resources() {
        return resources;
    }

    /** Data sources by {@code "type.name"}. */
    Map<String, Declaration> data() {
        return data;
    }

    /** The bodies of the resources of one type, by name. */
    Map<String, Declaration> resourcesOfType(String type) {
        return ofType(resources, type);
    }

    /** The bodies of the data sources of one type, by name. */
    Map<String, Declaration> dataOfType(String type) {
        return ofType(data, type);
    }

    /**
     * The directory of a module call whose {@code source} is a local path; registry and Git sources are not
     * in this tree, so nothing about them can be checked here.
     */
    Optional<Path> localSource(Declaration call) {
        String source = call.body().path("source").asText("");
        return source.startsWith("./") || source.startsWith("../")
                ? Optional.of(dir.resolve(source).normalize()) : Optional.empty();
    }

    /**
     * Every string in the module (values and object keys), with its file: hcl2json turns every expression into
     * one. Left out: variable types (type syntax, not references) and moved/removed blocks (old addresses).
     */
    void forEachString(BiConsumer<Path, String> action) {
        files.forEach((file, root) -> root.fields().forEachRemaining(block -> {
            if (HISTORY_BLOCKS.contains(block.getKey())) {
                return;
            }
            if (block.getKey().equals("variable")) {
                block.getValue().fields().forEachRemaining(variable -> {
                    for (JsonNode body : variable.getValue()) {
                        body.fields().forEachRemaining(argument -> {
                            if (!argument.getKey().equals("type")) {
                                walk(file, argument.getValue(), action);
                            }
                        });
                    }
                });
            } else {
                walk(file, block.getValue(), action);
            }
        }));
    }

    /** Applies {@code action} to every object node of the module, with its file (to find dynamic blocks). */
    void forEachObject(BiConsumer<Path, JsonNode> action) {
        files.forEach((file, root) -> walkObjects(file, root, action));
    }

    private static void walk(Path file, JsonNode node, BiConsumer<Path, String> action) {
        if (node.isTextual()) {
            action.accept(file, node.asText());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                action.accept(file, field.getKey());
                walk(file, field.getValue(), action);
            }
        } else if (node.isArray()) {
            node.forEach(element -> walk(file, element, action));
        }
    }

    private static void walkObjects(Path file, JsonNode node, BiConsumer<Path, JsonNode> action) {
        if (node.isObject()) {
            action.accept(file, node);
        }
        if (node.isContainerNode()) {
            node.forEach(child -> walkObjects(file, child, action));
        }
    }

    /** {@code {"name": [body]}}: one-label blocks (variable, output, module). */
    private static void collect(Path file, JsonNode blocks, Map<String, Declaration> into) {
        blocks.fields().forEachRemaining(block ->
                into.put(block.getKey(), new Declaration(file, first(block.getValue()))));
    }

    /** {@code {"type": {"name": [body]}}}: two-label blocks (resource, data). */
    private static void collectTyped(Path file, JsonNode blocks, Map<String, Declaration> into) {
        blocks.fields().forEachRemaining(type -> type.getValue().fields().forEachRemaining(named ->
                into.put(type.getKey() + "." + named.getKey(), new Declaration(file, first(named.getValue())))));
    }

    private static JsonNode first(JsonNode bodies) {
        return bodies.isArray() && bodies.size() > 0 ? bodies.get(0) : bodies;
    }

    private static Map<String, Declaration> ofType(Map<String, Declaration> declarations, String type) {
        Map<String, Declaration> found = new LinkedHashMap<>();
        declarations.forEach((address, declaration) -> {
            if (address.startsWith(type + ".")) {
                found.put(address.substring(type.length() + 1), declaration);
            }
        });
        return found;
    }
}
