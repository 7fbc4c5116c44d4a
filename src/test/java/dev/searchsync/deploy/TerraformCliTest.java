package dev.searchsync.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/** Terraform's own fmt and validate on terraform/, where a terraform binary (and for validate, the registry) is. */
class TerraformCliTest {
    private static final Path TERRAFORM = Path.of("terraform").toAbsolutePath();
    private static final Duration FMT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration INIT_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration VALIDATE_TIMEOUT = Duration.ofMinutes(2);
    /** What terraform init says when it cannot reach a provider registry or mirror. */
    private static final List<String> PROVIDER_UNAVAILABLE = List.of("Failed to query available provider packages",
            "Failed to install provider", "could not connect to registry", "Failed to resolve provider packages");

    @Test
    void terraformFilesAreFormatted() {
        String terraform = terraformBinary();
        assertThat(TERRAFORM).as("the Terraform module").isDirectory();

        Command.Result result = Command.run(TERRAFORM, FMT_TIMEOUT, environment(null),
                List.of(terraform, "fmt", "-check", "-recursive", "-diff", "-no-color"));

        assertThat(result.exitCode())
                .withFailMessage(() -> "terraform fmt -check -recursive found files to format in " + TERRAFORM
                        + " (run `terraform fmt -recursive terraform`):\n" + result.output())
                .isZero();
    }

    @Test
    void everyRootValidates(@TempDir Path temporary) {
        String terraform = terraformBinary();
        assertThat(TERRAFORM).as("the Terraform module").isDirectory();
        // init writes .terraform/ and a lock file: never into the repository.
        Path copy = temporary.resolve("terraform");
        copyTree(TERRAFORM, copy);
        Map<String, String> environment = environment(temporary.resolve("plugin-cache"));
        List<Path> roots = Hcl.tfFiles(copy).stream().map(Path::getParent).distinct().sorted()
                .collect(Collectors.toList());

        for (Path root : roots) {
            Command.Result init = Command.run(root, INIT_TIMEOUT, environment,
                    List.of(terraform, "init", "-backend=false", "-input=false", "-no-color"));
            if (init.exitCode() != 0 && PROVIDER_UNAVAILABLE.stream().anyMatch(init.output()::contains)) {
                abort("terraform init could not install the providers (no access to registry.terraform.io or a"
                        + " provider mirror here), so terraform validate cannot run; TerraformCheckTest still checks"
                        + " references statically. terraform init said:\n" + init.output());
            }
            assertThat(init.exitCode())
                    .withFailMessage(() -> "terraform init failed in " + copy.relativize(root) + ":\n" + init.output())
                    .isZero();
        }
        List<String> failures = new ArrayList<>();
        for (Path root : roots) {
            Command.Result validate = Command.run(root, VALIDATE_TIMEOUT, environment,
                    List.of(terraform, "validate", "-no-color"));
            if (validate.exitCode() != 0) {
                failures.add("terraform/" + copy.relativize(root) + ":\n" + validate.output());
            }
        }
        assertThat(failures).withFailMessage(() -> String.join("\n", failures)).isEmpty();
    }

    private static String terraformBinary() {
        return Command.onPath("terraform").map(Path::toString).orElseGet(() -> {
            abort("no terraform binary on PATH: terraform fmt and validate are not run here (install Terraform >= 1.9"
                    + " to run them; TerraformCheckTest runs without it)");
            return null;
        });
    }

    /** No prompts, no version check; a plugin cache shared by the roots unless the user already has one. */
    private static Map<String, String> environment(Path pluginCache) {
        Map<String, String> environment = new HashMap<>(Map.of("TF_IN_AUTOMATION", "1", "TF_INPUT", "0",
                "CHECKPOINT_DISABLE", "1"));
        if (pluginCache != null && System.getenv("TF_PLUGIN_CACHE_DIR") == null) {
            try {
                Files.createDirectories(pluginCache);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            environment.put("TF_PLUGIN_CACHE_DIR", pluginCache.toString());
        }
        return environment;
    }

    /** Copies the module, examples included (they refer to it as ../..), without anything terraform init left. */
    private static void copyTree(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    if (dir.getFileName().toString().equals(".terraform")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
