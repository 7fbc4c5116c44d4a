package dev.searchsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The modules of one parsed tree by directory, so that a call with a local {@code source} can be followed. */
final class ModuleTree {
    private final Map<Path, TerraformModule> modules = new TreeMap<>();
    private final Map<Path, String> errors;

    ModuleTree(Hcl.Tree tree) {
        this.errors = tree.errors();
        Map<Path, Map<Path, JsonNode>> byDirectory = new TreeMap<>();
        tree.files().forEach((file, parsed) ->
                byDirectory.computeIfAbsent(file.getParent(), dir -> new LinkedHashMap<>()).put(file, parsed));
        // A module with a file that does not parse is left out whole: its declarations are unknown, and checking
        // the rest would only add findings that vanish once the syntax is fixed.
        byDirectory.forEach((dir, files) -> {
            if (!isBroken(dir)) {
                modules.put(dir, new TerraformModule(dir, files));
            }
        });
    }

    /** The module in {@code dir}, when it has .tf files that all parse. */
    Optional<TerraformModule> module(Path dir) {
        return Optional.ofNullable(modules.get(dir));
    }

    boolean isBroken(Path dir) {
        return errors.keySet().stream().anyMatch(file -> file.getParent().equals(dir));
    }

    /** The parsed modules in {@code root} and below. */
    List<TerraformModule> under(Path root) {
        return modules.values().stream().filter(module -> module.dir().startsWith(root)).collect(Collectors.toList());
    }

    /** The files in {@code root} and below that do not parse, with the parser's message. */
    Map<Path, String> errorsUnder(Path root) {
        Map<Path, String> found = new TreeMap<>();
        errors.forEach((file, message) -> {
            if (file.startsWith(root)) {
                found.put(file, message);
            }
        });
        return found;
    }
}
