package dev.searchsync.document;

import dev.searchsync.failure.FailedChange;
import dev.searchsync.failure.FailureStage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns documents OpenSearch would reject for their size or their number of fields into dead letters before they
 * reach the sink, where one such document would fail a whole bulk. Ids need no check: they are hashed beyond
 * OpenSearch's 512 bytes when they are built.
 */
public class ValidateDocuments extends ProcessFunction<DocumentChange, DocumentChange> {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    private final int maxDocumentBytes;
    private final int maxFields;
    private transient Counter rejected;

    public ValidateDocuments(int maxDocumentBytes, int maxFields) {
        this.maxDocumentBytes = maxDocumentBytes;
        this.maxFields = maxFields;
    }

    @Override
    public void open(OpenContext openContext) {
        rejected = getRuntimeContext().getMetricGroup().counter("documentsFailingValidation");
    }

    @Override
    public void processElement(DocumentChange change, Context ctx, Collector<DocumentChange> out) {
        String problem = change.isDelete() ? null : problem(change.getDocument());
        if (problem == null) {
            out.collect(change);
            return;
        }
        rejected.inc();
        ctx.output(ConvertChanges.FAILURES, FailedChange.of(change, FailureStage.VALIDATE, "DocumentLimitExceeded",
                problem, ctx.timerService().currentProcessingTime()));
    }

    /** Why {@code document} would be rejected, or null when it is within the limits. */
    String problem(String document) {
        int bytes = document.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxDocumentBytes) {
            return "document of " + bytes + " bytes is over index/max.document.bytes (" + maxDocumentBytes + ")";
        }
        int fields = countFieldPaths(document);
        if (fields > maxFields) {
            return "document has " + fields + " distinct fields, over index/max.fields (" + maxFields + ")";
        }
        return null;
    }

    /** Distinct dotted field paths, as a mapping would hold them (array elements share their field's path). */
    static int countFieldPaths(String document) {
        Set<String> paths = new HashSet<>();
        // The path of each open object or array; a value inside an array belongs to the array's field.
        Deque<String> containers = new ArrayDeque<>();
        Deque<Boolean> isArray = new ArrayDeque<>();
        String lastField = "";
        try (JsonParser parser = JSON.createParser(document)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case FIELD_NAME:
                        String prefix = containers.isEmpty() ? "" : containers.peek();
                        lastField = prefix.isEmpty() ? parser.getCurrentName() : prefix + '.' + parser.getCurrentName();
                        paths.add(lastField);
                        break;
                    case START_OBJECT:
                    case START_ARRAY:
                        String path = containers.isEmpty() ? "" : isArray.peek() ? containers.peek() : lastField;
                        containers.push(path);
                        isArray.push(token == JsonToken.START_ARRAY);
                        break;
                    case END_OBJECT:
                    case END_ARRAY:
                        containers.pop();
                        isArray.pop();
                        break;
                    default:
                        break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths.size();
    }
}
