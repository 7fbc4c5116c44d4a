package dev.searchsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Parses .tf files with HashiCorp's own HCL parser (via node), so the checks read Terraform as Terraform does. */
final class Hcl {
    /**
     * Where hcl2json.mjs and its node_modules live ({@code npm ci} in generate-test-resources installs them):
     * {@code @cdktf/hcl2json} is HashiCorp's Go parser compiled to WebAssembly, not a home-made grammar.
     */
    static final Path NODE_PROJECT = Path.of("src", "test", "node", "hcl2json").toAbsolutePath();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** Every .tf file under a root, parsed ({@code files}) or not ({@code errors}: the parser's message). */
    record Tree(Path root, Map<Path, JsonNode> files, Map<Path, String> errors) {}

    private Hcl() {}

    /** Parses every .tf file under {@code root} in one node process: starting node costs more than parsing. */
    static Tree parseTree(Path root) {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        List<Path> tfFiles = tfFiles(absoluteRoot);
        Map<Path, JsonNode> files = new TreeMap<>();
        Map<Path, String> errors = new TreeMap<>();
        if (tfFiles.isEmpty()) {
            return new Tree(absoluteRoot, files, errors);
        }
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules").resolve("@cdktf").resolve("hcl2json"))) {
            throw new IllegalStateException(NODE_PROJECT + "/node_modules is missing: run `mvn generate-test-resources`"
                    + " (it runs npm ci there) before these tests");
        }
        List<String> command = new ArrayList<>(List.of("node", NODE_PROJECT.resolve("hcl2json.mjs").toString()));
        tfFiles.forEach(file -> command.add(file.toString()));
        Command.Result result = Command.run(NODE_PROJECT, TIMEOUT, command);

        JsonNode parsed;
        try {
            parsed = new ObjectMapper().readTree(result.stdout());
        } catch (IOException e) {
            throw new IllegalStateException("hcl2json printed no JSON (exit " + result.exitCode() + "):\n"
                    + result.output(), e);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = parsed.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            files.put(Path.of(entry.getKey()), entry.getValue());
        }
        for (String line : result.stderr().split("\n")) {
            tfFiles.stream()
                    .filter(file -> line.startsWith(file + ": "))
                    .findFirst()
                    .ifPresent(file -> errors.put(file, line.substring(file.toString().length() + 2)
                            .replace(file.getParent() + "/", "")));
        }
        if (result.exitCode() != 0 && errors.isEmpty() || files.size() + errors.size() != tfFiles.size()) {
            throw new IllegalStateException("hcl2json failed (exit " + result.exitCode() + "):\n" + result.output());
        }
        return new Tree(absoluteRoot, files, errors);
    }

    /** The .tf files under {@code root}, in a stable order; {@code .terraform/} holds downloaded modules, not ours. */
    static List<Path> tfFiles(Path root) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return dir.getFileName() != null && dir.getFileName().toString().equals(".terraform")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && file.getFileName().toString().endsWith(".tf")) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        found.sort(null);
        return found;
    }
}
