package dev.searchsync.cdc.dynamodb.load;

import dev.searchsync.cdc.dynamodb.ChangeRecord;

/** An item the Scan returned, as the change it becomes, with its key for the segment's position. */
final class LoadedItem {
    private final ChangeRecord change;
    private final String keyJson;

    LoadedItem(ChangeRecord change, String keyJson) {
        this.change = change;
        this.keyJson = keyJson;
    }

    ChangeRecord change() {
        return change;
    }

    /** DynamoDB JSON of the item's key: where the segment resumes once this item is emitted. */
    String keyJson() {
        return keyJson;
    }
}
