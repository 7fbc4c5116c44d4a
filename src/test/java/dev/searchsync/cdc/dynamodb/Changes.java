package dev.searchsync.cdc.dynamodb;


/** Change records as the source would emit them, for the conversion tests. */
final class Changes {
    private Changes() {}

    static ChangeRecord change(ChangeType type, String keys, String newImage, String oldImage) {
        ChangeRecord change = new ChangeRecord();
        change.setTableName("Orders");
        change.setEventId("event-1");
        change.setEventName(type);
        change.setKeys(keys);
        change.setNewImage(newImage);
        change.setOldImage(oldImage);
        change.setSequenceNumber("000000000000000000042");
        change.setApproximateCreationTime(1_700_000_000_000L);
        change.setShardId("shardId-1");
        return change;
    }
}
