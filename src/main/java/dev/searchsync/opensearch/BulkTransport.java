package dev.searchsync.opensearch;

import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.util.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseListener;
import org.opensearch.client.RestClient;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * How a {@link BulkWriter} sends a bulk body and hears back, on another thread: over the REST client in the job, by
 * hand in a test that decides when each answer arrives.
 */
interface BulkTransport extends AutoCloseable {
    /** Sends {@code body} to {@code _bulk}; later calls {@code answered} with the answer's body, or {@code failed}. */
    void send(byte[] body, Consumer<byte[]> answered, Consumer<Exception> failed);

    @Override
    void close() throws IOException;

    /** Over {@code client}, whose HTTP client retries what OpenSearch cannot take at the moment. */
    static BulkTransport over(RestClient client) {
        return new BulkTransport() {
            @Override
            public void send(byte[] body, Consumer<byte[]> answered, Consumer<Exception> failed) {
                Request request = new Request("POST", "/_bulk");
                request.setEntity(new NByteArrayEntity(body, ContentType.APPLICATION_JSON));
                client.performRequestAsync(request, new ResponseListener() {
                    @Override
                    public void onSuccess(Response response) {
                        byte[] answer;
                        try {
                            answer = EntityUtils.toByteArray(response.getEntity());
                        } catch (IOException e) {
                            failed.accept(e);
                            return;
                        }
                        answered.accept(answer);
                    }

                    @Override
                    public void onFailure(Exception e) {
                        failed.accept(e);
                    }
                });
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }
}
