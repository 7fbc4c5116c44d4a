package dev.searchsync.document;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.failure.FailedChange;
import dev.searchsync.failure.FailureStage;

import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Documents over the size or field limit become VALIDATE failures with their document; the rest pass. */
class ValidateDocumentsTest {
    @Test
    void documentsOverALimitGoToTheFailureOutputWithTheirDocument() throws Exception {
        try (OneInputStreamOperatorTestHarness<DocumentChange, DocumentChange> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ValidateDocuments(64, 3)))) {
            harness.open();
            DocumentChange small = write("a", "{\"x\":1,\"y\":{\"z\":2}}");
            DocumentChange large = write("b", "{\"text\":\"" + "x".repeat(100) + "\"}");
            DocumentChange wide = write("c", "{\"p\":1,\"q\":2,\"r\":3,\"s\":4}");
            DocumentChange delete = DocumentChange.delete("idx", "d", new ChangeRecord());
            for (DocumentChange change : List.of(small, large, wide, delete)) {
                harness.processElement(change, 0);
            }

            assertThat(harness.extractOutputValues()).containsExactly(small, delete);
            List<FailedChange> failures = harness.getSideOutput(ConvertChanges.FAILURES).stream()
                    .map(record -> record.getValue()).collect(Collectors.toList());
            assertThat(failures).extracting(FailedChange::getStage).containsOnly(FailureStage.VALIDATE);
            assertThat(failures).extracting(FailedChange::getDocument).containsExactly(large, wide);
            assertThat(failures.get(0).getErrorReason())
                    .isEqualTo("document of 111 bytes is over index/max.document.bytes (64)");
            assertThat(failures.get(1).getErrorReason())
                    .isEqualTo("document has 4 distinct fields, over index/max.fields (3)");
        }
    }

    @Test
    void fieldPathsCountAsAMappingWould() {
        assertThat(ValidateDocuments.countFieldPaths("{}")).isZero();
        assertThat(ValidateDocuments.countFieldPaths("{\"a\":{\"b\":1,\"c\":{\"d\":2}}}")).isEqualTo(4);
        assertThat(ValidateDocuments.countFieldPaths("{\"a\":[{\"x\":1},{\"y\":2},{\"x\":3}],\"b\":[1,2]}"))
                .as("array elements share their field's paths").isEqualTo(4);
        assertThat(ValidateDocuments.countFieldPaths("{\"a\":[[{\"x\":1}]],\"x\":1}")).isEqualTo(3);
    }

    private static DocumentChange write(String id, String json) {
        return DocumentChange.write("idx", id, json, new ChangeRecord());
    }
}
