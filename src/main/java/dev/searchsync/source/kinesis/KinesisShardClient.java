package dev.searchsync.source.kinesis;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.aws.KinesisStreamArn;
import dev.searchsync.source.client.RecordBatch;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.client.ShardIteratorExpiredException;
import dev.searchsync.source.client.ShardNotFoundException;
import dev.searchsync.source.client.ShardThrottledException;
import dev.searchsync.source.client.StreamNotFoundException;
import dev.searchsync.source.client.StreamShardClient;
import dev.searchsync.source.split.StartingPosition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.ExpiredNextTokenException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Kinesis Data Streams behind the shard model, with the service's errors turned into the reader's vocabulary.
 *
 * <p>Every call names the stream by its ARN (StreamARN), as AWS recommends; kinesis-local, the test bed's emulator,
 * accepts it on every call used here. One client reads one stream: GetRecords names the stream whose iterator this
 * client last handed out (the iterator alone would do for AWS, and splits of one source all carry the same ARN).
 *
 * <p>Positions older than the retention period: Kinesis has no error for them (DynamoDB Streams has
 * TrimmedDataAccessException). AWS documents that an AT_TIMESTAMP before the trim horizon silently yields a
 * TRIM_HORIZON iterator (GetShardIterator, parameter Timestamp). For AFTER_SEQUENCE_NUMBER nothing is documented;
 * users report either an iterator whose GetRecords pages come back empty with MillisBehindLatest near the retention
 * period until the reads reach untrimmed records (harlow/kinesis-consumer#125), or an InvalidArgumentException
 * about the StartingSequenceNumber (harlow/kinesis-consumer#175) - the same exception and wording as for a sequence
 * number of another shard. Neither is a signal that can be told apart safely, so nothing is mapped to
 * ShardDataTrimmedException: on Kinesis a trimmed position reads on from the oldest record still held, and
 * {@code source/trimmed.data.policy=FAIL} cannot see it; an InvalidArgumentException stops the job.
 */
public final class KinesisShardClient implements StreamShardClient<Record> {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisShardClient.class);
    /** GetRecords allows 5 calls a second per shard, shared by every polling consumer of the stream. */
    static final long MIN_POLL_SPACING_MILLIS = 200;
    /** The most GetRecords returns in one call. */
    private static final int MAX_GET_RECORDS_LIMIT = 10_000;
    /** ListShards' largest page: fewer calls against its per-stream rate limit. */
    static final int DEFAULT_LIST_SHARDS_PAGE = 10_000;
    private static final long LIST_SHARDS_BACKOFF_MILLIS = 200;
    private static final int LIST_SHARDS_ATTEMPTS = 6;

    private final String stream;
    private final boolean namedByArn;
    private final KinesisClient kinesis;
    private final int listShardsPage;
    private volatile String readingStreamArn;

    public KinesisShardClient(String stream, AwsClientSettings settings) {
        this(stream, settings, DEFAULT_LIST_SHARDS_PAGE);
    }

    /** With a small ListShards page, so tests can see the paging. */
    KinesisShardClient(String stream, AwsClientSettings settings, int listShardsPage) {
        this(stream, settings.configure(KinesisClient.builder()).httpClientBuilder(settings.httpClient()).build(),
                listShardsPage);
    }

    /** With a client of the caller's choosing, for tests of the error mapping. */
    KinesisShardClient(String stream, KinesisClient kinesis, int listShardsPage) {
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("A Kinesis stream name or ARN is required");
        }
        this.stream = stream.trim();
        this.namedByArn = this.stream.startsWith("arn:");
        if (namedByArn && !KinesisStreamArn.isValid(this.stream)) {
            throw new IllegalArgumentException("'" + this.stream + "' is not a Kinesis stream ARN ("
                    + KinesisStreamArn.EXPECTED_FORM + ")");
        }
        this.kinesis = Objects.requireNonNull(kinesis);
        this.listShardsPage = listShardsPage;
        this.readingStreamArn = namedByArn ? this.stream : null;
    }

    @Override
    public String resolveStreamId() {
        try {
            String arn = kinesis.describeStreamSummary(b -> {
                if (namedByArn) {
                    b.streamARN(stream);
                } else {
                    b.streamName(stream);
                }
            }).streamDescriptionSummary().streamARN();
            LOG.info("Kinesis stream {} is {}", stream, arn);
            readingStreamArn = arn;
            return arn;
        } catch (ResourceNotFoundException e) {
            throw new StreamNotFoundException("Kinesis stream '" + stream + "' does not exist: check "
                    + (namedByArn ? "source/stream.arn" : "source/stream.name"), e);
        }
    }

    @Override
    public List<ShardInfo> listShards(String streamArn) {
        List<ShardInfo> shards = new ArrayList<>();
        String next = null;
        do {
            ListShardsResponse page;
            try {
                page = listShardsPage(streamArn, next);
            } catch (ExpiredNextTokenException e) {
                // A token lives 5 minutes; a listing that slow starts over rather than miss shards.
                LOG.warn("ListShards token of {} expired; listing again from the start", streamArn);
                shards.clear();
                next = null;
                continue;
            }
            for (Shard shard : page.shards()) {
                boolean closed = shard.sequenceNumberRange() != null
                        && shard.sequenceNumberRange().endingSequenceNumber() != null;
                shards.add(new ShardInfo(shard.shardId(), shard.parentShardId(), shard.adjacentParentShardId(),
                        closed));
            }
            next = page.nextToken();
        } while (next != null);
        return shards;
    }

    private ListShardsResponse listShardsPage(String streamArn, String nextToken) {
        // With a NextToken the request must not name the stream: the token already does.
        ListShardsRequest request = nextToken == null
                ? ListShardsRequest.builder().streamARN(streamArn).maxResults(listShardsPage).build()
                : ListShardsRequest.builder().nextToken(nextToken).maxResults(listShardsPage).build();
        for (int attempt = 1; ; attempt++) {
            try {
                return kinesis.listShards(request);
            } catch (ResourceNotFoundException e) {
                throw new StreamNotFoundException("Kinesis stream " + streamArn + " does not exist: check "
                        + (namedByArn ? "source/stream.arn" : "source/stream.name"), e);
            } catch (LimitExceededException e) {
                if (attempt >= LIST_SHARDS_ATTEMPTS) {
                    throw e;
                }
                sleep(LIST_SHARDS_BACKOFF_MILLIS << attempt);
            }
        }
    }

    @Override
    public String getShardIterator(String streamArn, String shardId, StartingPosition position) {
        readingStreamArn = streamArn;
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder()
                .streamARN(streamArn).shardId(shardId);
        switch (position.type()) {
            case TRIM_HORIZON:
                request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                break;
            case LATEST:
                request.shardIteratorType(ShardIteratorType.LATEST);
                break;
            case AT_TIMESTAMP:
                request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                        .timestamp(Instant.ofEpochMilli(position.timestamp()));
                break;
            default:
                request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                        .startingSequenceNumber(position.sequenceNumber());
        }
        try {
            return kinesis.getShardIterator(request.build()).shardIterator();
        } catch (ResourceNotFoundException e) {
            throw new ShardNotFoundException("Shard " + shardId + " of " + streamArn + " no longer exists", e);
        } catch (AwsServiceException e) {
            throw throttledOr(e);
        }
    }

    @Override
    public RecordBatch<Record> getRecords(String shardIterator, int limit) {
        String streamArn = readingStreamArn;
        try {
            GetRecordsResponse response = kinesis.getRecords(b -> b.streamARN(streamArn)
                    .shardIterator(shardIterator).limit(Math.min(limit, MAX_GET_RECORDS_LIMIT)));
            return new RecordBatch<>(response.records(), response.nextShardIterator(), response.millisBehindLatest());
        } catch (ExpiredIteratorException e) {
            throw new ShardIteratorExpiredException(e.getMessage(), e);
        } catch (ResourceNotFoundException e) {
            throw new ShardNotFoundException(e.getMessage(), e);
        } catch (AwsServiceException e) {
            throw throttledOr(e);
        }
    }

    private static RuntimeException throttledOr(AwsServiceException e) {
        if (e instanceof ProvisionedThroughputExceededException || e instanceof LimitExceededException
                || e instanceof KmsThrottlingException || e.isThrottlingException()) {
            return new ShardThrottledException(e.getMessage(), e);
        }
        return e;
    }

    @Override
    public long minPollSpacingMillis() {
        return MIN_POLL_SPACING_MILLIS;
    }

    @Override
    public String sequenceNumber(Record record) {
        return record.sequenceNumber();
    }

    @Override
    public long approximateArrivalMillis(Record record) {
        return record.approximateArrivalTimestamp() == null ? 0 : record.approximateArrivalTimestamp().toEpochMilli();
    }

    @Override
    public void close() {
        kinesis.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pacing Kinesis ListShards calls", e);
        }
    }
}
