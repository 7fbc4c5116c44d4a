package dev.searchsync.deadletter;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.ChangeRecordJson;
import dev.searchsync.cdc.dynamodb.ChangeType;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;

import java.time.Instant;

/** Dead letters and failed changes for tests, with the numbers and strings that break naive JSON handling. */
final class Letters {
    static final String BIG = "12345678901234567890123456789012345678";
    static final String TINY = "-0.000000000000000000001";
    static final String PRICE = "1.50";
    static final String NASTY_TEXT = "line one\nline two\r\n\"quoted\" \\back\\slash\ttab é ß 日本語 😀 \u0001 \u2028 </script>";

    /** 23:59:59.999 UTC on 2026-03-01: one millisecond before both a new hour and a new day. */
    static final long BEFORE_MIDNIGHT = Instant.parse("2026-03-01T23:59:59.999Z").toEpochMilli();
    static final long AFTER_MIDNIGHT = BEFORE_MIDNIGHT + 1;

    private Letters() {}

    static ChangeRecord change(String id) {
        ChangeRecord change = new ChangeRecord();
        change.setTableName("Orders");
        change.setEventId(id);
        change.setEventName(ChangeType.MODIFY);
        change.setKeys("{\"pk\":{\"S\":\"" + id + "\"},\"sk\":{\"N\":\"" + BIG + "\"}}");
        change.setNewImage("{\"pk\":{\"S\":\"" + id + "\"},\"sk\":{\"N\":\"" + BIG + "\"},\"price\":{\"N\":\"" + PRICE
                + "\"},\"note\":{\"S\":" + jsonString(NASTY_TEXT) + "}}");
        change.setOldImage("{\"pk\":{\"S\":\"" + id + "\"},\"tiny\":{\"N\":\"" + TINY + "\"}}");
        change.setSequenceNumber("4000000000000000000012345678901234");
        change.setShardId("shardId-00000001700000000000-abcdef12");
        change.setParentShardId("shardId-00000001699990000000-0123abcd");
        change.setApproximateCreationTime(Instant.parse("2026-03-01T23:59:00Z").toEpochMilli());
        change.setTtlDelete(false);
        return change;
    }

    static Origin origin(ChangeRecord change) {
        return Origin.of(change.getTableName(), "dynamodb-streams", change.getShardId(), change.getParentShardId(),
                change.getSequenceNumber(), change.getApproximateCreationTime(), change.getEventId());
    }

    /** A change that failed before the sink: its record is kept whole. */
    static FailedChange failed(String id, FailureStage stage, long failedAt) {
        ChangeRecord change = change(id);
        return FailedChange.of(origin(change), RawRecord.json(ChangeRecordJson.write(change)), null,
                Failure.of(stage, "dev.searchsync.cdc.dynamodb.ConversionException", "attribute 'sk': " + NASTY_TEXT,
                        0, failedAt));
    }

    /** A document with the nasty numbers as bare JSON numbers. */
    static final String DOCUMENT = "{\"big\":" + BIG + ",\"note\":" + jsonString(NASTY_TEXT) + ",\"price\":" + PRICE
            + ",\"tiny\":" + TINY + ",\"list\":[" + PRICE + "," + TINY + ",true,false,null,{},[]]}";

    /** A letter with every field set: a record, an action with the nasty document, attempt 3. */
    static DeadLetter full() {
        FailedChange failed = failed("evt-1", FailureStage.INDEX, BEFORE_MIDNIGHT);
        failed.setAction(DocumentAction.index("orders", "evt-1|" + BIG, DOCUMENT, failed.getOrigin())
                .withVersion(4000000000000000000L));
        failed.setFailure(Failure.of(FailureStage.INDEX, "mapper_parsing_exception", "attribute 'sk': " + NASTY_TEXT,
                400, BEFORE_MIDNIGHT));
        DeadLetter letter = DeadLetter.of(failed, JobInfo.of("searchsync \"orders\"",
                "0123456789abcdef0123456789abcdef", 1));
        letter.setAttempt(3);
        return letter;
    }

    static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
