package dev.searchsync.opensearch;

import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.deadletter.DeadLetterJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every dead letter written under a local folder, oldest file first, for tests of the sink's inspector. */
final class DeadLetterFilesOnDisk {
    private DeadLetterFilesOnDisk() {}

    static List<DeadLetter> read(Path dir) {
        List<DeadLetter> letters = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        letters.add(DeadLetterJson.read(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return letters;
    }
}
