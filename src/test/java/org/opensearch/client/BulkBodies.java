package org.opensearch.client;

import org.opensearch.action.bulk.BulkRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Test access to the body the OpenSearch high-level client sends for a bulk request: its converter is
 * package-private, and this class shares its package, so tests see the client's real encoding.
 */
public final class BulkBodies {
    private BulkBodies() {}

    public static byte[] of(BulkRequest bulk) throws IOException {
        Request request = RequestConverters.bulk(bulk);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        request.getEntity().writeTo(out);
        return out.toByteArray();
    }
}
