package dev.searchsync.ordering;

/**
 * The short list of a document's earlier shards kept in {@link KeyVersionState#earlierShards}: one string, so the
 * state stays a flat POJO, and bounded, so it stays small.
 */
final class EarlierShards {
    /**
     * How many are kept. Exact lineage matters near a shard boundary, where creation times can step back by a second
     * or so; a shard several generations back (about four hours each) is told apart by its creation times alone.
     */
    static final int MAX = 4;

    private EarlierShards() {}

    /** Whether {@code shard} is in {@code list}. */
    static boolean contains(String list, String shard) {
        if (list == null || shard == null || shard.isEmpty()) {
            return false;
        }
        for (String each : list.split(" ")) {
            if (each.equals(shard)) {
                return true;
            }
        }
        return false;
    }

    /** {@code list} with {@code shard} first (moved there if it was further back), at most {@link #MAX} long. */
    static String with(String list, String shard) {
        if (shard == null || shard.isEmpty() || shard.indexOf(' ') >= 0) {
            return list;
        }
        StringBuilder out = new StringBuilder(shard);
        int kept = 1;
        if (list != null) {
            for (String each : list.split(" ")) {
                if (kept == MAX) {
                    break;
                }
                if (!each.isEmpty() && !each.equals(shard)) {
                    out.append(' ').append(each);
                    kept++;
                }
            }
        }
        return out.toString();
    }
}
