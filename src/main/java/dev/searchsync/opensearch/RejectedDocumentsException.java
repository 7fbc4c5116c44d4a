package dev.searchsync.opensearch;

import java.util.List;

/** Fails the job when OpenSearch refused changes for a reason that retrying or skipping cannot fix silently. */
public final class RejectedDocumentsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Enough to diagnose; a bulk of thousands of identical rejections would otherwise flood the log. */
    private static final int LISTED = 20;

    private final List<String> rejections;

    RejectedDocumentsException(List<String> rejections, int actionsInBulk) {
        super(render(rejections, actionsInBulk));
        this.rejections = List.copyOf(rejections);
    }

    /** One line per refused action: index, id, version, status and OpenSearch's reason. */
    public List<String> rejections() {
        return rejections;
    }

    private static String render(List<String> rejections, int actionsInBulk) {
        StringBuilder text = new StringBuilder("OpenSearch rejected ").append(rejections.size()).append(" of ")
                .append(actionsInBulk).append(" actions of a bulk request; the job stops so no change is lost:");
        for (String rejection : rejections.subList(0, Math.min(LISTED, rejections.size()))) {
            text.append("\n  - ").append(rejection);
        }
        if (rejections.size() > LISTED) {
            text.append("\n  - and ").append(rejections.size() - LISTED).append(" more");
        }
        return text.toString();
    }
}
