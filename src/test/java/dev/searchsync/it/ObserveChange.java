package dev.searchsync.it;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbJson;

import org.apache.flink.api.common.functions.RichMapFunction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** Runs after keyBy and turns a change into an {@link Observation}: the per-key order it sees is what matters. */
public class ObserveChange extends RichMapFunction<ChangeRecord, Observation> {
    @Override
    public Observation map(ChangeRecord change) {
        Observation observation = new Observation();
        observation.key = KeyOf.key(change);
        observation.eventName = change.getEventName().name();
        observation.shardId = change.getShardId();
        observation.sequenceNumber = change.getSequenceNumber();
        observation.subtask = getRuntimeContext().getIndexOfThisSubtask();
        Map<String, AttributeValue> image = DynamoDbJson.read(
                change.getNewImage() != null ? change.getNewImage() : change.getOldImage());
        long written = Long.parseLong(image.get(OrderedWorkload.COUNTER).n());
        // A delete has no new image: it is the change after the one its old image shows.
        observation.ordinal = change.getNewImage() != null ? written : written + 1;
        return observation;
    }
}
