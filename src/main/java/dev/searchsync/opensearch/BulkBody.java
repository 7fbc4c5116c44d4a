package dev.searchsync.opensearch;

import dev.searchsync.json.EmbeddedJson;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Op;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Writes the NDJSON body of a {@code _bulk} request from actions, each document copied byte for byte as its input
 * built it. The REST high-level client would parse every document and write it again (and turn decimals into
 * doubles on the way); written here, a document costs one array copy and its numbers stay exact.
 *
 * <p>INDEX and DELETE carry their external version, so OpenSearch itself refuses any change older than what it
 * holds: EXTERNAL (strictly greater) rather than EXTERNAL_GTE, since an equal version can only be a replay of a
 * change already applied, and refusing it means a different change carrying an equal version can never overwrite the
 * newer one. CREATE carries none: its id is the event's, so a replay finds the document there. Either way a replay
 * answers 409, which {@link BulkOutcomeInspector} counts as done.
 */
final class BulkBody {
    private static final JsonFactory JSON = new JsonFactory();

    private BulkBody() {}

    /** The request body for {@code actions}, in their order. */
    static byte[] of(List<DocumentAction> actions) {
        int estimate = 0;
        for (DocumentAction action : actions) {
            estimate += 128 + (action.getDocumentUtf8() == null ? 0 : action.getDocumentUtf8().length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimate);
        try {
            for (DocumentAction action : actions) {
                write(action, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private static void write(DocumentAction action, ByteArrayOutputStream out) throws IOException {
        try (JsonGenerator line = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            line.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            line.writeStartObject();
            line.writeObjectFieldStart(opName(action.getOp()));
            line.writeStringField("_index", action.getIndex());
            line.writeStringField("_id", action.getId());
            if (action.getOp() != Op.CREATE) {
                line.writeNumberField("version", versioned(action));
                line.writeStringField("version_type", "external");
            }
            line.writeEndObject();
            line.writeEndObject();
        }
        out.write('\n');
        if (action.getOp() != Op.DELETE) {
            out.write(singleLine(document(action)));
            out.write('\n');
        }
    }

    /** The name the bulk API gives {@code op}, in requests and answers alike. */
    static String opName(Op op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] document(DocumentAction action) {
        byte[] document = action.getDocumentUtf8();
        if (document == null) {
            throw new IllegalArgumentException((action.getOp() == Op.CREATE ? "create" : "write") + " of index '"
                    + action.getIndex() + "', id '" + action.getId() + "' v" + action.getVersion()
                    + " has no document");
        }
        return document;
    }

    /**
     * The document on one line, as NDJSON needs it. The inputs write compact JSON, which has no raw line break (one
     * inside a string is escaped); a document with one anyway (whitespace between tokens) is re-written compactly.
     */
    static byte[] singleLine(byte[] document) {
        for (byte b : document) {
            if (b == '\n' || b == '\r') {
                String compact = EmbeddedJson.compactCopy(new String(document, StandardCharsets.UTF_8));
                if (compact == null) {
                    throw new IllegalArgumentException("a document that is not one JSON object or array");
                }
                return compact.getBytes(StandardCharsets.UTF_8);
            }
        }
        return document;
    }

    private static long versioned(DocumentAction action) {
        if (action.getVersion() <= 0) {
            // Unversioned changes would all carry 0: every one after a document's first would be refused silently.
            throw new IllegalArgumentException((action.getOp() == Op.DELETE ? "delete" : "write") + " of index '"
                    + action.getIndex() + "', id '" + action.getId() + "' has version " + action.getVersion()
                    + ", expected the external version the ordering step assigns (> 0)");
        }
        return action.getVersion();
    }
}
