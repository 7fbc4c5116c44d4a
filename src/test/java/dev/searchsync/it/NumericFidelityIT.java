package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.config.JobConfig;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers come out of OpenSearch's _source with every digit DynamoDB holds, as plain decimals. */
class NumericFidelityIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @Test
    void numbersKeepEveryDigit() throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        String streamArn = moto.createTableWithStream("numbers", TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex("numbers");
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, "numbers");
        SearchSyncJob.prepareIndex(config);
        StreamExecutionEnvironment env = SyncJobs.environment();
        SearchSyncJob.fromConfig(config).addTo(env);
        JobClient job = env.executeAsync("numbers");
        try {
            Map<String, String> written = new LinkedHashMap<>();
            written.put("big", "12345678901234567890123456789012345678");
            written.put("neg", "-12345678901234567890123456789012345678");
            written.put("price", "1E+30");
            written.put("tiny", "0.000000000000000000001");
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put(TypedWorkload.HASH_KEY, AttributeValue.fromS("n"));
            item.put(TypedWorkload.RANGE_KEY, AttributeValue.fromS("1"));
            written.forEach((name, value) -> item.put(name, AttributeValue.fromN(value)));
            moto.client().putItem(b -> b.tableName("numbers").item(item));
            Map<String, AttributeValue> held = moto.client()
                    .getItem(b -> b.tableName("numbers").key(Map.of(TypedWorkload.HASH_KEY, AttributeValue.fromS("n"),
                            TypedWorkload.RANGE_KEY, AttributeValue.fromS("1")))).item();

            String source = awaitSource(opensearch, "numbers", "n|1", job);

            for (String name : written.keySet()) {
                String dynamo = held.get(name).n();
                String indexed = numberToken(source, name);
                assertThat(indexed).as("%s: no exponent", name).doesNotContainIgnoringCase("e");
                assertThat(new BigDecimal(indexed)).as("%s: the same number", name)
                        .isEqualByComparingTo(new BigDecimal(dynamo));
                assertThat(indexed).as("%s: the digits DynamoDB holds (%s)", name, dynamo)
                        .isEqualTo(new BigDecimal(dynamo).toPlainString());
            }
            assertThat(numberToken(source, "big")).isEqualTo("12345678901234567890123456789012345678");
            assertThat(numberToken(source, "neg")).isEqualTo("-12345678901234567890123456789012345678");
            assertThat(numberToken(source, "price")).isEqualTo("1000000000000000000000000000000");
            assertThat(numberToken(source, "tiny")).isEqualTo("0.000000000000000000001");
        } finally {
            job.cancel().get();
        }
    }

    /** The raw text of a number in a JSON document, as OpenSearch stored it (not re-parsed). */
    private static String numberToken(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
        assertThat(matcher.find()).as("field %s in %s", field, json).isTrue();
        return matcher.group(1);
    }

    private static String awaitSource(OpenSearchServer opensearch, String index, String id, JobClient job)
            throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            OpenSearchServer.Response response = opensearch.exchange("GET",
                    "/" + index + "/_source/" + java.net.URLEncoder.encode(id, "UTF-8"), null);
            if (response.status() == 200) {
                return response.body();
            }
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job ended").isFalse();
            Thread.sleep(500);
        }
        throw new AssertionError("document " + id + " never appeared");
    }
}
