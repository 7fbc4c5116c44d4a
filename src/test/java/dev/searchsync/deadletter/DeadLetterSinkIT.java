package dev.searchsync.deadletter;

import dev.searchsync.config.DeadLetterConfig;
import dev.searchsync.it.Clusters;
import dev.searchsync.it.FailOnceAfterCheckpoint;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.FailureStage;
import dev.searchsync.testbed.S3FileSystems;
import dev.searchsync.testbed.S3ProxyExtension;
import dev.searchsync.testbed.S3ProxyServer;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures before the sink end up in committed JSON-lines part files under dt=/hour= folders, each letter exactly
 * once, also when the job fails after a checkpoint and restarts from it: on S3 (S3Proxy, SigV4) and on file://.
 */
class DeadLetterSinkIT {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSinkIT.class);
    private static final int LETTERS = 600;
    private static final String BUCKET = "dead-letter-sink-it";

    /** JobInfo seen by each subtask, from its runtime context and from its metric group (run -> subtask -> pair). */
    private static final Map<String, Map<Integer, List<JobInfo>>> JOB_INFOS = new ConcurrentHashMap<>();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @TempDir
    Path localDir;

    @BeforeAll
    static void pointS3AtTheTestBed() {
        S3FileSystems.useS3Proxy(S3.server());
        S3.server().createBucket(BUCKET);
    }

    @AfterAll
    static void resetFileSystems() {
        S3FileSystems.reset();
    }

    @Test
    void s3HoldsEachLetterOnceInCommittedFilesAcrossARestart() throws Exception {
        S3ProxyServer s3 = S3.server();
        JobExecutionResult result = run("s3://" + BUCKET + "/dead-letters", "s3-restart");

        Map<String, String> committed = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        for (S3Object object : s3.client().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("dead-letters/"))
                .contents()) {
            if (isCommittedPart(object.key())) {
                committed.put(object.key(), s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(object.key()))
                        .asString(StandardCharsets.UTF_8));
            } else {
                others.add(object.key());
            }
        }
        LOG.info("S3 holds {} committed part files; other objects, not counted: {}", committed.size(), others);
        checkExactlyOnce(committed, "dead-letters/", result, "s3-restart");
    }

    @Test
    void localFolderHoldsEachLetterOnceInCommittedFilesAcrossARestart() throws Exception {
        JobExecutionResult result = run(localDir.toUri().toString(), "file-restart");

        Map<String, String> committed = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        try (Stream<Path> files = Files.walk(localDir)) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String key = localDir.relativize(file).toString();
                if (isCommittedPart(key)) {
                    committed.put(key, Files.readString(file));
                } else {
                    others.add(key);
                }
            }
        }
        LOG.info("The folder holds {} committed part files; other files, not counted: {}", committed.size(), others);
        checkExactlyOnce(committed, "", result, "file-restart");
    }

    /** Runs the bounded job with one planned failure after a completed checkpoint, to its end. */
    private static JobExecutionResult run(String path, String run) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);

        DataStream<FailedChange> failures = env.fromSequence(0, LETTERS - 1)
                .map(new SlowFailedChanges(run))
                .uid("failed-changes")
                .map(new FailOnceAfterCheckpoint<FailedChange>(run, 20))
                .returns(FailedChange.class)
                .uid("fail-once");
        DeadLetterSinks.addTo(failures, DeadLetterConfig.of(path));
        JobExecutionResult result = env.execute("dead-letters-" + run);
        assertThat(FailOnceAfterCheckpoint.hasFailed(run)).as("the planned failure happened").isTrue();
        return result;
    }

    private static void checkExactlyOnce(Map<String, String> committed, String root, JobExecutionResult result,
            String run) {
        assertThat(committed).isNotEmpty();
        Map<String, Integer> seen = new HashMap<>();
        Map<Integer, Integer> perSubtask = new HashMap<>();
        for (Map.Entry<String, String> file : committed.entrySet()) {
            String folder = file.getKey().substring(0, file.getKey().lastIndexOf('/'));
            assertThat(file.getValue()).as(file.getKey()).endsWith("\n");
            for (String line : file.getValue().split("\n")) {
                DeadLetter letter = DeadLetterJson.read(line);
                String eventId = letter.getOrigin().getEventId();
                assertThat(folder).as("folder of " + eventId)
                        .isEqualTo(root + HourBucketAssigner.bucketOf(letter.failedAt()));
                DeadLetter expected = DeadLetter.of(SlowFailedChanges.failedChange(index(eventId)),
                        JobInfo.of("dead-letters-" + run, result.getJobID().toString(), letter.getJob().getSubtask()));
                assertThat(letter).isEqualTo(expected);
                seen.merge(eventId, 1, Integer::sum);
                perSubtask.merge(letter.getJob().getSubtask(), 1, Integer::sum);
            }
        }
        assertThat(seen.values()).as("letters seen more than once").allMatch(count -> count == 1);
        assertThat(seen).hasSize(LETTERS);
        assertThat(perSubtask.keySet()).containsExactlyInAnyOrder(0, 1);
        assertThat(committed.keySet().stream().map(k -> k.substring(0, k.lastIndexOf('/'))).distinct())
                .containsExactlyInAnyOrder(root + "dt=2026-03-01/hour=23", root + "dt=2026-03-02/hour=00");

        // The metric group's scope variables name the same job and subtask as the runtime context does.
        Map<Integer, List<JobInfo>> infos = JOB_INFOS.get(run);
        assertThat(infos).containsOnlyKeys(0, 1);
        infos.forEach((subtask, pair) -> {
            assertThat(pair.get(0)).isEqualTo(JobInfo.of("dead-letters-" + run, result.getJobID().toString(),
                    subtask));
            assertThat(pair.get(1)).isEqualTo(pair.get(0));
        });
    }

    /** A committed part file: {@code dead-letters-<uuid>-<n>.jsonl}, not hidden, not temporary. */
    static boolean isCommittedPart(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.startsWith(DeadLetterSinks.PART_PREFIX + "-") && name.endsWith(DeadLetterSinks.PART_SUFFIX);
    }

    private static int index(String eventId) {
        return Integer.parseInt(eventId.substring("evt-".length()));
    }

    /**
     * Turns numbers into failed changes, slowly enough that the job sees several checkpoints; even numbers fail in
     * the last millisecond of 2026-03-01, odd ones in the first of 2026-03-02, so two hour folders fill up.
     */
    static final class SlowFailedChanges extends RichMapFunction<Long, FailedChange> {
        private static final long serialVersionUID = 1L;
        private static final FailureStage[] STAGES = {FailureStage.DECODE, FailureStage.CONVERT, FailureStage.VALIDATE};

        private final String run;

        SlowFailedChanges(String run) {
            this.run = run;
        }

        @Override
        public void open(OpenContext openContext) {
            JOB_INFOS.computeIfAbsent(run, r -> new ConcurrentHashMap<>()).put(
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                    Arrays.asList(JobInfo.of(getRuntimeContext()), JobInfo.of(getRuntimeContext().getMetricGroup())));
        }

        @Override
        public FailedChange map(Long value) throws Exception {
            Thread.sleep(5);
            return failedChange(value.intValue());
        }

        static FailedChange failedChange(int i) {
            long failedAt = i % 2 == 0 ? Letters.BEFORE_MIDNIGHT - i : Letters.AFTER_MIDNIGHT + i;
            return Letters.failed("evt-" + i, STAGES[i % STAGES.length], failedAt);
        }
    }
}
