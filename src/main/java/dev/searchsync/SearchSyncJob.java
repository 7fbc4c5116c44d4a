package dev.searchsync;

/** Placeholder replaced in this same change; see issue 3. */
public final class SearchSyncJob {
    public static void main(String[] args) {
        throw new UnsupportedOperationException();
    }
}
