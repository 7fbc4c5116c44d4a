package dev.searchsync.local;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes a steady mix of changes to the demo table {@code demo-orders} (partition key {@code customer}, sort key
 * {@code order}) on its own thread: inserts, full replacements (PutItem), partial updates (UpdateItem: SET, ADD to a
 * number and to a string set, nested map paths, REMOVE) and deletes, over a bounded key space so the index settles
 * around a stable size. Items hold S, N (whole and decimal), BOOL, M, L and SS attributes.
 *
 * <p>Now and then it also writes a poison order that the index's strict mapping rejects (a string where
 * {@code quantity} is an integer), under keys of its own that nothing changes afterwards, so the demo shows a change
 * OpenSearch refuses becoming a dead letter while everything else keeps flowing.
 */
public final class DemoWriter extends PacedWriter {
    public static final String TABLE = "demo-orders";
    public static final String PARTITION_KEY = "customer";
    public static final String SORT_KEY = "order";
    private static final int CUSTOMERS = 100;
    private static final String[] STATUSES = {"NEW", "PAID", "PACKED", "SHIPPED", "DELIVERED"};
    private static final String[] CITIES = {"Lisbon", "Oslo", "Kraków", "Zürich", "Dublin", "Sevilla", "Tallinn"};
    private static final String[] TAGS = {"gift", "fragile", "priority", "bulk", "returning-customer", "promo"};
    /** The partition key of poison orders; no valid order uses it. */
    public static final String POISON_CUSTOMER = "cust-poison";
    /** The first poison order comes early, so the demo shows a dead letter within its first minute. */
    private static final long FIRST_POISON_AT = 100;

    private final DynamoDbClient client;
    private final int orders;
    private final long poisonEvery;
    private final Random random;
    /** Which order numbers exist in the table now; only this thread writes the table, so it is exact. */
    private final boolean[] present;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong poison = new AtomicLong();
    private long nextPoisonAt = FIRST_POISON_AT;

    /** What has been written so far, for the progress line. */
    public record Counts(long written, long inserts, long puts, long updates, long deletes, long items, long poison) {}

    /**
     * @param poisonEvery one change in this many is a poison order (the first is change {@value #FIRST_POISON_AT});
     *     0 writes none
     */
    public DemoWriter(DynamoDbClient client, int orders, double changesPerSecond, long poisonEvery, long seed) {
        super("demo-writer", changesPerSecond);
        this.client = client;
        this.orders = orders;
        this.poisonEvery = poisonEvery;
        this.random = new Random(seed);
        this.present = new boolean[orders];
    }

    public Counts counts() {
        return new Counts(written.get(), inserts.get(), puts.get(), updates.get(), deletes.get(), items.get(),
                poison.get());
    }

    @Override
    public long written() {
        return written.get();
    }

    @Override
    protected int writeOne() {
        if (poisonEvery > 0 && written.get() + 1 >= nextPoisonAt) {
            writePoison();
            nextPoisonAt += poisonEvery;
            return 1;
        }
        int order = random.nextInt(orders);
        if (!present[order]) {
            client.putItem(b -> b.tableName(TABLE).item(newItem(order)));
            present[order] = true;
            inserts.incrementAndGet();
            items.incrementAndGet();
        } else {
            int roll = random.nextInt(100);
            if (roll < 40) {
                client.putItem(b -> b.tableName(TABLE).item(newItem(order)));
                puts.incrementAndGet();
            } else if (roll < 85) {
                update(order);
                updates.incrementAndGet();
            } else {
                client.deleteItem(b -> b.tableName(TABLE).key(key(order)));
                present[order] = false;
                deletes.incrementAndGet();
                items.decrementAndGet();
            }
        }
        written.incrementAndGet();
        return 1;
    }

    /** An order whose {@code quantity} is text: OpenSearch answers mapper_parsing_exception, a dead letter. */
    private void writePoison() {
        long n = poison.get() + 1;
        Map<String, AttributeValue> item = newItem(0);
        item.put(PARTITION_KEY, AttributeValue.fromS(POISON_CUSTOMER));
        item.put(SORT_KEY, AttributeValue.fromS(String.format("poison-%05d", n)));
        item.put("quantity", AttributeValue.fromS("two, please"));
        client.putItem(b -> b.tableName(TABLE).item(item));
        poison.incrementAndGet();
        items.incrementAndGet();
        written.incrementAndGet();
    }

    private void update(int order) {
        // Every attribute goes through a #name placeholder: several of them (status, total, ...) are reserved words.
        Map<String, String> names = new HashMap<>();
        names.put("#u", "updatedAt");
        names.put("#r", "revision");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", n(System.currentTimeMillis()));
        values.put(":one", AttributeValue.fromN("1"));
        String expression;
        switch (random.nextInt(5)) {
            case 0:
                names.put("#s", "status");
                values.put(":s", AttributeValue.fromS(pick(STATUSES)));
                expression = "SET #s = :s, #u = :now ADD #r :one";
                break;
            case 1:
                names.put("#sh", "shipping");
                names.put("#c", "city");
                names.put("#e", "express");
                values.put(":city", AttributeValue.fromS(pick(CITIES)));
                values.put(":express", AttributeValue.fromBool(random.nextBoolean()));
                expression = "SET #sh.#c = :city, #e = :express, #u = :now ADD #r :one";
                break;
            case 2:
                names.put("#tg", "tags");
                values.put(":tags", AttributeValue.fromSs(List.of(pick(TAGS))));
                expression = "SET #u = :now ADD #tg :tags, #r :one";
                break;
            case 3:
                names.put("#t", "total");
                names.put("#w", "weightKg");
                values.put(":total", AttributeValue.fromN(money(5_00, 900_00)));
                values.put(":weight", AttributeValue.fromN(weight()));
                expression = "SET #t = :total, #w = :weight, #u = :now ADD #r :one";
                break;
            default:
                names.put("#n", "note");
                expression = "SET #u = :now REMOVE #n ADD #r :one";
                break;
        }
        client.updateItem(b -> b.tableName(TABLE).key(key(order))
                .updateExpression(expression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    private Map<String, AttributeValue> newItem(int order) {
        long now = System.currentTimeMillis();
        Map<String, AttributeValue> item = new HashMap<>(key(order));
        item.put("status", AttributeValue.fromS(pick(STATUSES)));
        item.put("total", AttributeValue.fromN(money(5_00, 900_00)));
        item.put("weightKg", AttributeValue.fromN(weight()));
        item.put("quantity", AttributeValue.fromN(Integer.toString(1 + random.nextInt(12))));
        item.put("express", AttributeValue.fromBool(random.nextInt(4) == 0));
        item.put("note", AttributeValue.fromS("Order " + order + ": leave at the door, ring twice ✓"));
        item.put("revision", AttributeValue.fromN("1"));
        item.put("createdAt", n(now));
        item.put("updatedAt", n(now));
        item.put("shipping", AttributeValue.fromM(Map.of(
                "city", AttributeValue.fromS(pick(CITIES)),
                "country", AttributeValue.fromS(random.nextBoolean() ? "PT" : "NO"),
                "postcode", AttributeValue.fromS(String.format("%04d", random.nextInt(10_000))))));
        List<AttributeValue> lines = new ArrayList<>();
        for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
            lines.add(AttributeValue.fromM(Map.of(
                    "sku", AttributeValue.fromS("SKU-" + (100 + random.nextInt(900))),
                    "qty", AttributeValue.fromN(Integer.toString(1 + random.nextInt(5))),
                    "unitPrice", AttributeValue.fromN(money(1_00, 200_00)))));
        }
        item.put("lines", AttributeValue.fromL(lines));
        // A string set cannot be empty: one or two distinct tags.
        String first = pick(TAGS);
        String second = pick(TAGS);
        item.put("tags", AttributeValue.fromSs(first.equals(second) ? List.of(first) : List.of(first, second)));
        return item;
    }

    static Map<String, AttributeValue> key(int order) {
        return Map.of(
                PARTITION_KEY, AttributeValue.fromS(String.format("cust-%03d", order % CUSTOMERS)),
                SORT_KEY, AttributeValue.fromS(String.format("ord-%05d", order)));
    }

    private String money(int minCents, int maxCents) {
        return BigDecimal.valueOf(minCents + random.nextInt(maxCents - minCents), 2).toPlainString();
    }

    private String weight() {
        return BigDecimal.valueOf(50 + random.nextInt(20_000), 3).toPlainString();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
