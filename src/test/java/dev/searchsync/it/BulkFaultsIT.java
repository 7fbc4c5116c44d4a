package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchFaultProxy;
import dev.searchsync.testbed.OpenSearchServer;
import dev.searchsync.testbed.S3FileSystems;
import dev.searchsync.testbed.S3ProxyExtension;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the sink does when OpenSearch answers with faults, on the real OpenSearch behind an in-JVM fault proxy
 * ({@link OpenSearchFaultProxy}): storms of whole-request 429 and 503, dropped connections and actions rejected one
 * by one are retried within the budget (no restart, no dead letter); beyond it the job restarts and loses nothing; a
 * closed index fails the job until it is open again, never producing dead letters; and a refused second change of an
 * item in one bulk is kept as its own dead letter, which a redrive applies once the mapping is fixed.
 */
class BulkFaultsIT {
    private static final KeySchema SCHEMA = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
    private static final String BUCKET = "bulk-faults";

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private OpenSearchFaultProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = new OpenSearchFaultProxy(OPENSEARCH.server().httpUrl()).start();
        S3FileSystems.useS3Proxy(S3.server());
        if (S3.server().client().listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
            S3.server().createBucket(BUCKET);
        }
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @AfterAll
    static void resetFileSystems() {
        S3FileSystems.reset();
    }

    @Test
    void stormsWithinTheRetryBudgetNeitherRestartNorDeadLetter()
            throws Exception {
        String name = "storms";
        JobConfig config = config(name, Map.of());
        JobClient job = start(config, 0);
        try {
            TypedWorkload workload = new TypedWorkload(MOTO.server().client(), name, 300, 17);
            workload.write(200);
            awaitFaultsServed(() -> proxy.failNextBulks(4, 429), job);
            workload.write(100);
            awaitFaultsServed(() -> proxy.failNextBulks(4, 503), job);
            workload.write(100);
            awaitFaultsServed(() -> proxy.dropNextBulks(2), job);
            workload.write(100);
            awaitFaultsServed(() -> proxy.rejectEverySecondActionOfNextBulks(3), job);
            workload.write(100);

            awaitIndexEqualsTable(workload, name, job);
            assertThat(proxy.rejectedActions()).as("actions answered 429 one by one").isPositive();
            assertThat(job.getJobStatus().get()).as("never failed (no restart strategy)").isEqualTo(JobStatus.RUNNING);
            assertThat(failures(job)).as("job failures").isZero();
            assertThat(letters(name)).as("dead letters").isEmpty();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void beyondTheRetryBudgetTheJobRestartsAndLosesNothing()
            throws Exception {
        String name = "beyond";
        JobConfig config = config(name, Map.of("bulk.backoff.max.retries", "2", "bulk.backoff.initial.delay.ms", "50"));
        JobClient job = start(config, 50);
        try {
            TypedWorkload workload = new TypedWorkload(MOTO.server().client(), name, 300, 19);
            workload.write(200);
            // Three attempts a bulk (two retries): two bulks in a row fail for good.
            awaitFaultsServed(() -> proxy.failNextBulks(6, 503), job);
            workload.write(200);

            awaitIndexEqualsTable(workload, name, job);
            assertThat(failures(job)).as("job failures").isPositive();
            assertThat(letters(name)).as("dead letters").isEmpty();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aClosedIndexFailsTheJobUntilItIsOpenAgainAndNothingBecomesADeadLetter() throws Exception {
        String name = "closed";
        OpenSearchServer opensearch = OPENSEARCH.server();
        JobConfig config = config(name, Map.of());
        JobClient job = start(config, 100);
        try {
            TypedWorkload workload = new TypedWorkload(MOTO.server().client(), name, 200, 23);
            workload.write(200);
            awaitIndexEqualsTable(workload, name, job);

            opensearch.request("POST", "/" + name + "/_close", null);
            workload.write(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (failures(job) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(failures(job)).as("job failures while the index is closed").isPositive();
            Thread.sleep(3_000);
            opensearch.request("POST", "/" + name + "/_open", null);
            opensearch.request("GET", "/_cluster/health/" + name + "?wait_for_status=green&timeout=30s", null);

            awaitIndexEqualsTable(workload, name, job);
            assertThat(letters(name)).as("dead letters").isEmpty();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aRefusedNewestChangeOfAnItemIsItsOwnDeadLetterAndARedriveAppliesIt() throws Exception {
        String name = "pairing";
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        JobConfig config = config(name, Map.of());
        // Two changes of each item before the job starts, so that each item's pair waits for one bulk together: the
        // first valid, the second with a field the strict mapping does not know yet. The sink sends only the second
        // (the newer version replaces the first while they wait), which OpenSearch refuses.
        for (int i = 0; i < 4; i++) {
            put(moto, name, StrictMappingItems.item(i, "first " + i, null));
            put(moto, name, StrictMappingItems.item(i, "second " + i, "surprise " + i));
        }
        // And the first bulk of each subtask answers every second action 429, so the bulks are also retried in part.
        proxy.rejectEverySecondActionOfNextBulks(2);
        JobClient job = start(config, 0);
        try {
            List<DeadLetter> letters = DeadLetterFiles.await(S3.server(), BUCKET, name + "/dead/", 4,
                    () -> assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job ended").isFalse());
            assertThat(proxy.rejectedActions()).as("actions answered 429 once").isPositive();
            Map<String, DeadLetter> byDocument = letters.stream()
                    .collect(Collectors.toMap(l -> l.getAction().getId(), l -> l, (a, b) -> a, LinkedHashMap::new));
            assertThat(byDocument).hasSize(4);
            Map<String, JsonNode> indexed = IndexComparison.documents(opensearch, name);
            for (int i = 0; i < 4; i++) {
                DeadLetter letter = byDocument.get("p|s" + i);
                assertThat(letter.getAction().getDocument()).as("letter of item %d holds the refused change", i)
                        .contains("second " + i).contains("surprise " + i);
                JsonNode document = indexed.get("p|s" + i);
                if (document != null) {
                    // The pair was read in two polls and went out in two bulks: the first change is indexed.
                    assertThat(document.path("_source").path("name").asText()).isEqualTo("first " + i);
                    assertThat(letter.getAction().getVersion()).as("the refused change's version is above it")
                            .isGreaterThan(document.path("_version").asLong());
                }
            }

            opensearch.request("PUT", "/" + name + "/_mapping", "{\"properties\":{\"surprise\":{\"type\":\"keyword\"}}}");
            for (S3Object file : DeadLetterFiles.committed(S3.server(), BUCKET, name + "/dead/")) {
                String fileName = file.key().substring(file.key().lastIndexOf('/') + 1);
                S3.server().client().copyObject(b -> b.sourceBucket(BUCKET).sourceKey(file.key())
                        .destinationBucket(BUCKET).destinationKey(name + "-redrive/" + fileName));
            }
            List<Map<String, AttributeValue>> table = new TypedWorkload(moto.client(), name, 0, 0).scan();
            SyncJobs.awaitEqual("the redriven letters to be indexed", Duration.ofMinutes(2), job,
                    () -> IndexComparison.differences(table, SCHEMA, opensearch, name));
        } finally {
            job.cancel().get();
        }
    }

    private JobConfig config(String name, Map<String, String> opensearchExtra) throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        String streamArn = moto.createTableWithStream(name, TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex(name);
        Map<String, String> opensearchGroup = new HashMap<>(opensearchExtra);
        opensearchGroup.put("endpoint", proxy.url());
        opensearchGroup.put("bulk.flush.interval.ms", "200");
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, name, Map.of(
                "opensearch", opensearchGroup,
                "deadletter", Map.of("path", "s3://" + BUCKET + "/" + name + "/dead",
                        "redrive.path", "s3://" + BUCKET + "/" + name + "-redrive")));
        SearchSyncJob.prepareIndex(config);
        SearchSyncJob.prepareRedriveFolder(config);
        return config;
    }

    private static JobClient start(JobConfig config, int restarts) throws Exception {
        StreamExecutionEnvironment env = SyncJobs.environment(1_000, restarts, Duration.ofMillis(500));
        SearchSyncJob.fromConfig(config).addTo(env);
        return env.executeAsync(config.indexName());
    }

    /** Plans the faults, then waits until the job has met every one of them. */
    private void awaitFaultsServed(Runnable plan, JobClient job) throws Exception {
        plan.run();
        SourceTestJobs.await("the planned faults to be served", Duration.ofMinutes(1), proxy::faultsServed, job);
    }

    private static void awaitIndexEqualsTable(TypedWorkload workload, String index, JobClient job) throws Exception {
        List<Map<String, AttributeValue>> table = workload.scan();
        SyncJobs.awaitEqual("the index to equal the table", Duration.ofMinutes(2), job,
                () -> IndexComparison.differences(table, SCHEMA, OPENSEARCH.server(), index));
    }

    private static int failures(JobClient job) throws Exception {
        return JobFailures.count(FLINK, job.getJobID());
    }

    private static List<DeadLetter> letters(String name) {
        return DeadLetterFiles.read(S3.server(), BUCKET, name + "/dead/");
    }

    private static void put(MotoServer moto, String table, Map<String, AttributeValue> item) {
        moto.client().putItem(b -> b.tableName(table).item(item));
    }

}
