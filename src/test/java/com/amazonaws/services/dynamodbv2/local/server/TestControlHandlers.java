package com.amazonaws.services.dynamodbv2.local.server;

import com.amazonaws.services.dynamodbv2.exceptions.DynamoDBLocalServiceException;

/**
 * Exists only because DynamoDB Local's constructor that enables the "test control" PutItem (table
 * {@code [TEST_CONTROL]}, {@code ACTION=ROLLOVER}, which closes every stream shard and opens a child)
 * is package-private; this is the sole way to trigger shard rollovers over HTTP, so tests can
 * exercise shard lineage through the same SDK clients the job uses.
 */
public final class TestControlHandlers {

    private TestControlHandlers() {}

    /**
     * An in-memory, shared-database request handler (the region and access key of a request do not
     * select a separate database) with test control enabled and without delayed transient statuses.
     */
    public static LocalDynamoDBRequestHandler inMemorySharedWithTestControl()
            throws DynamoDBLocalServiceException {
        return new LocalDynamoDBRequestHandler(0, true, null, true, false, true);
    }
}
