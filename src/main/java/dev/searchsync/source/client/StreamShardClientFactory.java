package dev.searchsync.source.client;

import java.io.Serializable;

/** Travels with the job graph and opens a client where it runs (JobManager for discovery, TaskManager for reads). */
@FunctionalInterface
public interface StreamShardClientFactory<R> extends Serializable {
    StreamShardClient<R> create();
}
