package dev.searchsync.source.kinesis;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A hand-written KinesisClient for what the emulator cannot do (throttle, expire iterators, answer KMS errors):
 * each call takes the next scripted answer, an SDK exception or a response, and every request is kept.
 */
final class FakeKinesis implements KinesisClient {
    final Deque<Object> answers = new ArrayDeque<>();
    final List<Object> requests = new ArrayList<>();

    FakeKinesis answer(Object... next) {
        answers.addAll(List.of(next));
        return this;
    }

    /** A service error the SDK has no class for, as it builds one from the error code alone. */
    static AwsServiceException error(String code, int status) {
        return KinesisException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
                .build();
    }

    @Override
    public ListShardsResponse listShards(ListShardsRequest request) {
        return next(request, ListShardsResponse.class);
    }

    @Override
    public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest request) {
        return next(request, GetShardIteratorResponse.class);
    }

    @Override
    public GetRecordsResponse getRecords(GetRecordsRequest request) {
        return next(request, GetRecordsResponse.class);
    }

    private <T> T next(Object request, Class<T> type) {
        requests.add(request);
        Object answer = answers.poll();
        if (answer instanceof RuntimeException) {
            throw (RuntimeException) answer;
        }
        if (!type.isInstance(answer)) {
            throw new AssertionError("No scripted " + type.getSimpleName() + " for " + request + " (next: " + answer + ")");
        }
        return type.cast(answer);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {}
}
