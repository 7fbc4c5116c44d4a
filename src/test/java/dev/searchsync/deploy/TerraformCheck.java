package dev.searchsync.deploy;

import dev.searchsync.deploy.Finding.Kind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The static check of the project's Terraform, run with the unit tests on every machine, terraform or not. */
final class TerraformCheck {
    private static final Pattern FLINK_VERSION =
            Pattern.compile("<flink\\.version>\\s*(\\d+)\\.(\\d+)[^<]*</flink\\.version>");

    private final String runtime;

    /** @param runtime the {@code runtime_environment} every application must name, e.g. {@code FLINK-1_19} */
    TerraformCheck(String runtime) {
        this.runtime = runtime;
    }

    /** A check expecting the runtime of the Flink version {@code pom} builds against. */
    static TerraformCheck forProject(Path pom) {
        String text;
        try {
            text = Files.readString(pom);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pom, e);
        }
        Matcher version = FLINK_VERSION.matcher(text);
        if (!version.find()) {
            throw new IllegalStateException(pom + " has no <flink.version>major.minor...</flink.version>");
        }
        return new TerraformCheck("FLINK-" + version.group(1) + "_" + version.group(2));
    }

    String runtime() {
        return runtime;
    }

    /**
     * Checks every module (every directory with .tf files) under {@code root}, parsing them with one node
     * process. Covers what terraform validate cannot see (the job's configuration, the Flink runtime, IAM rules)
     * and what it only sees with the providers downloaded (undefined references).
     */
    List<Finding> check(Path root) {
        return check(root, Hcl.parseTree(root));
    }

    /**
     * Checks the modules under {@code root} in an already parsed {@code tree} (which may hold more than
     * {@code root}: module calls are followed anywhere in it).
     */
    List<Finding> check(Path root, Hcl.Tree tree) {
        Path start = root.toAbsolutePath().normalize();
        ModuleTree modules = new ModuleTree(tree);
        List<Finding> findings = new ArrayList<>();
        modules.errorsUnder(start).forEach((file, message) ->
                findings.add(new Finding(file, Kind.PARSE_ERROR, message)));
        PropertyGroupCheck propertyGroups = new PropertyGroupCheck(modules);
        for (TerraformModule module : modules.under(start)) {
            findings.addAll(ReferenceCheck.check(module, modules));
            findings.addAll(RuntimeCheck.check(module, modules, runtime));
            propertyGroups.add(module);
            findings.addAll(IamCheck.check(module));
        }
        findings.addAll(propertyGroups.findings());
        findings.sort(Comparator.comparing((Finding f) -> f.file().toString())
                .thenComparing(Finding::kind).thenComparing(Finding::message));
        return findings;
    }
}
