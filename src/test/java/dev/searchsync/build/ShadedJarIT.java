package dev.searchsync.build;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/** The application jar is what MSF (Flink 1.19.1 on Java 11) can run: Java 11 classes, no Flink inside. */
class ShadedJarIT {
    private static final int JAVA_11_MAJOR = 55;
    private static Path jar;

    @BeforeAll
    static void findJar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("searchsync-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().startsWith("original-"))
                    .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                    .collect(java.util.stream.Collectors.toList());
            assertThat(jars).as("the shaded jar in target/ (run mvn verify, not mvn test)").hasSize(1);
            jar = jars.get(0);
        }
    }

    @Test
    void everyClassRunsOnJava11() throws IOException {
        List<String> tooNew = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry); DataInputStream data = new DataInputStream(in)) {
                    int magic = data.readInt();
                    data.readUnsignedShort();
                    int major = data.readUnsignedShort();
                    if (magic == 0xCAFEBABE && major > JAVA_11_MAJOR) {
                        tooNew.add(entry.getName() + " (" + major + ")");
                    }
                }
            }
        }
        assertThat(tooNew).as("classes above class-file version 55").isEmpty();
    }

    @Test
    void holdsNoFlinkAndNoLog4j2() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> forbidden = new ArrayList<>();
            for (ZipEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (name.startsWith("org/apache/flink/") && name.endsWith(".class") && !fromAConnector(name)
                        || name.startsWith("org/apache/logging/log4j/")
                        || name.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")) {
                    forbidden.add(name);
                }
            }
            assertThat(forbidden).as("Flink, log4j 2 or jar signatures inside the application jar").isEmpty();
        }
    }

    @Test
    void relocatesProtobuf() throws IOException {
        // Flink and the MSF runtime may put a protobuf-java of their own on the class path.
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(Collections.list(file.entries())).extracting(ZipEntry::getName)
                    .noneMatch(name -> name.startsWith("com/google/protobuf/") && name.endsWith(".class"))
                    .contains("dev/searchsync/shaded/protobuf/CodedInputStream.class");
        }
    }

    /**
     * Connectors live under org/apache/flink/ too but are not part of the Flink runtime: the class's origin on
     * the test class path tells which artifact it comes from.
     */
    private static boolean fromAConnector(String classFile) {
        java.net.URL origin = ShadedJarIT.class.getClassLoader().getResource(classFile);
        return origin != null && origin.toString().contains("/flink-connector-opensearch");
    }

    @Test
    void startsTheJobAndKeepsTheSdkServices() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String main = manifest.getMainAttributes().getValue("Main-Class");
            assertThat(main).isEqualTo("dev.searchsync.SearchSyncJob");
            assertThat(file.getEntry(main.replace('.', '/') + ".class")).isNotNull();
            ZipEntry httpServices = file.getEntry("META-INF/services/software.amazon.awssdk.http.SdkHttpService");
            assertThat(httpServices).as("merged service files").isNotNull();
            String services = new String(file.getInputStream(httpServices).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(services).contains("software.amazon.awssdk.http.apache.ApacheSdkHttpService");
        }
    }
}
