package dev.searchsync.cdc.dynamodb;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key schema is read from the table itself when it is not configured. */
class DescribeTableKeySchemaIT {
    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @Test
    void readsPartitionAndSortKey() {
        MotoServer server = MOTO.server();
        server.createTableWithStream("keyed-by-two", "customerId", "orderDate");
        assertThat(new DescribeTableKeySchema("keyed-by-two", aws(server)).keySchema())
                .isEqualTo(KeySchema.of("customerId", "orderDate"));
    }

    @Test
    void readsPartitionKeyAlone() {
        MotoServer server = MOTO.server();
        server.createTableWithStream("keyed-by-one", "id", null);
        assertThat(new DescribeTableKeySchema("keyed-by-one", aws(server)).keySchema()).isEqualTo(KeySchema.of("id"));
    }

    @Test
    void missingTableIsNamed() {
        MotoServer server = MOTO.server();
        assertThatThrownBy(() -> new DescribeTableKeySchema("no-such-table", aws(server)).keySchema())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot read the key schema of table 'no-such-table': it does not exist (region "
                        + server.region() + ")");
    }

    @Test
    void survivesSerializationToTheTaskManagers() throws Exception {
        KeySchemaSource source = new DescribeTableKeySchema("t", aws(MOTO.server()));
        assertThat(org.apache.flink.util.InstantiationUtil.clone(source).toString()).isEqualTo(source.toString());
        assertThat(org.apache.flink.util.InstantiationUtil.clone(KeySchemaSource.fixed(KeySchema.of("a", "b")))
                .keySchema()).isEqualTo(KeySchema.of("a", "b"));
    }

    private static AwsClientSettings aws(MotoServer server) {
        return AwsClientSettings.local(server.endpoint(), server.region());
    }
}
