package dev.searchsync.source.dynamodb;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.aws.StreamReference;
import dev.searchsync.source.client.RecordBatch;
import dev.searchsync.source.client.ShardDataTrimmedException;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.List;

/** DynamoDB Streams behind the shard model, with the service's errors turned into the reader's vocabulary. */
public final class DynamoDbStreamsShardClient implements StreamShardClient<Record> {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbStreamsShardClient.class);
    /** DescribeStream allows 10 calls a second; stay under it. */
    private static final long DESCRIBE_STREAM_SPACING_MILLIS = 110;
    private static final int DESCRIBE_STREAM_ATTEMPTS = 6;

    private final StreamReference stream;
    private final DynamoDbStreamsClient streams;
    private final AwsClientSettings settings;
    private DynamoDbClient tables;
    private long lastDescribeAt;

    public DynamoDbStreamsShardClient(StreamReference stream, AwsClientSettings settings) {
        this.stream = stream;
        this.settings = settings;
        this.streams = settings.configure(DynamoDbStreamsClient.builder())
                .httpClientBuilder(settings.httpClient())
                .build();
    }

    @Override
    public String resolveStreamId() {
        if (stream.streamArn() != null) {
            return stream.streamArn();
        }
        DescribeTableResponse table;
        try {
            if (tables == null) {
                tables = settings.configure(DynamoDbClient.builder()).httpClientBuilder(settings.httpClient()).build();
            }
            table = tables.describeTable(b -> b.tableName(stream.tableName()));
        } catch (ResourceNotFoundException e) {
            throw new StreamNotFoundException("Table '" + stream.tableName() + "' does not exist (region "
                    + settings.region() + "): check source/table.name", e);
        }
        String arn = table.table().latestStreamArn();
        if (arn == null || table.table().streamSpecification() == null
                || !Boolean.TRUE.equals(table.table().streamSpecification().streamEnabled())) {
            throw new StreamNotFoundException("Table '" + stream.tableName() + "' has no enabled stream: enable"
                    + " DynamoDB Streams with view type NEW_AND_OLD_IMAGES", null);
        }
        LOG.info("Table {} streams to {}", stream.tableName(), arn);
        return arn;
    }

    @Override
    public List<ShardInfo> listShards(String streamArn) {
        List<ShardInfo> shards = new ArrayList<>();
        String startAfter = null;
        do {
            DescribeStreamResponse page = describeStream(streamArn, startAfter);
            for (Shard shard : page.streamDescription().shards()) {
                boolean closed = shard.sequenceNumberRange() != null
                        && shard.sequenceNumberRange().endingSequenceNumber() != null;
                shards.add(new ShardInfo(shard.shardId(), shard.parentShardId(), null, closed));
            }
            startAfter = page.streamDescription().lastEvaluatedShardId();
        } while (startAfter != null);
        return shards;
    }

    private DescribeStreamResponse describeStream(String streamArn, String startAfter) {
        for (int attempt = 1; ; attempt++) {
            pace();
            try {
                return streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(startAfter));
            } catch (ResourceNotFoundException e) {
                throw new StreamNotFoundException("Stream " + streamArn + " does not exist: check source/stream.arn",
                        e);
            } catch (LimitExceededException e) {
                if (attempt >= DESCRIBE_STREAM_ATTEMPTS) {
                    throw e;
                }
                sleep(DESCRIBE_STREAM_SPACING_MILLIS << attempt);
            }
        }
    }

    private synchronized void pace() {
        long wait = lastDescribeAt + DESCRIBE_STREAM_SPACING_MILLIS - System.currentTimeMillis();
        if (wait > 0) {
            sleep(wait);
        }
        lastDescribeAt = System.currentTimeMillis();
    }

    @Override
    public String getShardIterator(String streamArn, String shardId, StartingPosition position) {
        try {
            return streams.getShardIterator(b -> {
                b.streamArn(streamArn).shardId(shardId).shardIteratorType(iteratorType(position));
                if (position.sequenceNumber() != null) {
                    b.sequenceNumber(position.sequenceNumber());
                }
            }).shardIterator();
        } catch (TrimmedDataAccessException e) {
            throw new ShardDataTrimmedException("Shard " + shardId + " no longer holds " + position, e);
        } catch (ResourceNotFoundException e) {
            throw new ShardNotFoundException("Shard " + shardId + " no longer exists", e);
        } catch (AwsServiceException e) {
            throw throttledOr(e);
        }
    }

    @Override
    public RecordBatch<Record> getRecords(String shardIterator, int limit) {
        try {
            GetRecordsResponse response = streams.getRecords(b -> b.shardIterator(shardIterator).limit(limit));
            return new RecordBatch<>(response.records(), response.nextShardIterator(), null);
        } catch (ExpiredIteratorException e) {
            throw new ShardIteratorExpiredException(e.getMessage(), e);
        } catch (TrimmedDataAccessException e) {
            throw new ShardDataTrimmedException(e.getMessage(), e);
        } catch (ResourceNotFoundException e) {
            throw new ShardNotFoundException(e.getMessage(), e);
        } catch (AwsServiceException e) {
            throw throttledOr(e);
        }
    }

    private static RuntimeException throttledOr(AwsServiceException e) {
        if (e.isThrottlingException() || e instanceof LimitExceededException) {
            return new ShardThrottledException(e.getMessage(), e);
        }
        return e;
    }

    private static ShardIteratorType iteratorType(StartingPosition position) {
        switch (position.type()) {
            case TRIM_HORIZON:
            case AT_TIMESTAMP: // DynamoDB Streams has no AT_TIMESTAMP: the reader skips the older records itself
                return ShardIteratorType.TRIM_HORIZON;
            case LATEST:
                return ShardIteratorType.LATEST;
            default:
                return ShardIteratorType.AFTER_SEQUENCE_NUMBER;
        }
    }

    @Override
    public String sequenceNumber(Record record) {
        return record.dynamodb().sequenceNumber();
    }

    @Override
    public long approximateArrivalMillis(Record record) {
        return record.dynamodb().approximateCreationDateTime() == null
                ? 0
                : record.dynamodb().approximateCreationDateTime().toEpochMilli();
    }

    @Override
    public void close() {
        streams.close();
        if (tables != null) {
            tables.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pacing DynamoDB Streams calls", e);
        }
    }
}
