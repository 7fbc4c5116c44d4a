package dev.searchsync.opensearch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a mapping is looked up: a file first, then the classpath under index-templates/. */
class IndexBootstrapTest {
    @TempDir
    Path dir;

    @Test
    void aFilePathIsReadAsIs() throws Exception {
        Path file = Files.writeString(dir.resolve("orders.json"), "{\"mappings\":{}}");
        assertThat(IndexBootstrap.loadMapping(file.toString())).isEqualTo("{\"mappings\":{}}");
    }

    @Test
    void otherwiseTheClasspathUnderIndexTemplatesIsSearched() throws Exception {
        Files.createDirectories(dir.resolve("index-templates"));
        Files.writeString(dir.resolve("index-templates/orders.json"), "{\"settings\":{}}");
        assertThat(withClasspath(dir, () -> IndexBootstrap.loadMapping("orders.json"))).isEqualTo("{\"settings\":{}}");
    }

    @Test
    void aMissingMappingNamesBothPlacesLookedAt() {
        String location = "no-such-mapping-" + System.nanoTime() + ".json";
        assertThatThrownBy(() -> IndexBootstrap.loadMapping(location))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Mapping '" + location + "' not found: no file " + Path.of(location).toAbsolutePath()
                        + " and no classpath resource index-templates/" + location);
    }

    private static String withClasspath(Path root, ThrowingSupplier body) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, saved)) {
            thread.setContextClassLoader(loader);
            return body.get();
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    /** The body run with another context class loader. */
    private interface ThrowingSupplier {
        String get() throws Exception;
    }
}
