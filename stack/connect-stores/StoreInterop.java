// Apache Kafka Connect's own distributed-mode stores (KafkaConfigBackingStore,
// KafkaOffsetBackingStore with OffsetStorageWriter/OffsetStorageReaderImpl, KafkaStatusBackingStore),
// driven from the command line so that Sluice's integration tests can check that both write and
// read the same internal topics. Needs the jars of stack/connect/pom.xml in .stack/connect/lib
// and Java 17. Fetch the jars once with
//   mvn -B -q -f stack/connect/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
//     -DincludeScope=runtime -DoutputDirectory="$PWD/.stack/connect/lib"
// then run:
//
//   java -cp '.stack/connect/lib/*' stack/connect-stores/StoreInterop.java \
//       write|read|exchange <bootstrap> <config topic> <offset topic> <status topic>
//
// write:    records a fixed set of configs, offsets and statuses for connector `java-files`.
// read:     prints, as one JSON line, what Kafka Connect sees for connector `sluice-files`.
// exchange: read, then write, in one JVM (the tests use it: one start-up instead of two).
// Kafka Connect creates missing topics itself; the tests let Sluice create them first.

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.AbstractStatus;
import org.apache.kafka.connect.runtime.ConnectorStatus;
import org.apache.kafka.connect.runtime.RestartRequest;
import org.apache.kafka.connect.runtime.SessionKey;
import org.apache.kafka.connect.runtime.TargetState;
import org.apache.kafka.connect.runtime.TaskStatus;
import org.apache.kafka.connect.runtime.TopicStatus;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.storage.ClusterConfigState;
import org.apache.kafka.connect.storage.KafkaConfigBackingStore;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.storage.KafkaStatusBackingStore;
import org.apache.kafka.connect.storage.OffsetStorageReaderImpl;
import org.apache.kafka.connect.storage.OffsetStorageWriter;
import org.apache.kafka.connect.util.ConnectorTaskId;
import org.apache.kafka.connect.util.TopicAdmin;

public class StoreInterop {
    public static void main(String[] args) throws Exception {
        if (args.length != 5 || !List.of("write", "read", "exchange").contains(args[0])) {
            System.err.println("usage: StoreInterop write|read|exchange <bootstrap> <config topic> <offset topic> <status topic>");
            System.exit(2);
        }
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", args[1]);
        props.put("group.id", "sluice-interop");
        props.put("config.storage.topic", args[2]);
        props.put("offset.storage.topic", args[3]);
        props.put("status.storage.topic", args[4]);
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("key.converter", JsonConverter.class.getName());
        props.put("value.converter", JsonConverter.class.getName());
        DistributedConfig config = new DistributedConfig(props);
        Map<String, Object> adminProps = new HashMap<>(Map.of("bootstrap.servers", args[1]));
        Supplier<TopicAdmin> admin = () -> new TopicAdmin(adminProps);

        // The worker's internal converters: JsonConverter with schemas disabled (Worker.java).
        JsonConverter keyConverter = new JsonConverter();
        keyConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
        JsonConverter valueConverter = new JsonConverter();
        valueConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);

        KafkaConfigBackingStore configs = new KafkaConfigBackingStore(valueConverter, config, null, admin, "interop-");
        configs.setUpdateListener(new NoListener());
        KafkaOffsetBackingStore offsets = new KafkaOffsetBackingStore(admin, () -> "interop-", keyConverter);
        offsets.configure(config);
        KafkaStatusBackingStore statuses = new KafkaStatusBackingStore(Time.SYSTEM, valueConverter, admin, "interop-");
        statuses.configure(config);
        configs.start();
        offsets.start();
        statuses.start();
        try {
            if (!args[0].equals("write")) read(configs, offsets, statuses, keyConverter, valueConverter);
            if (!args[0].equals("read")) write(configs, offsets, statuses, keyConverter, valueConverter);
        } finally {
            statuses.stop();
            offsets.stop();
            configs.stop();
        }
    }

    static Map<String, String> ordered(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) map.put(keyValues[i], keyValues[i + 1]);
        return map;
    }

    static void write(KafkaConfigBackingStore configs, KafkaOffsetBackingStore offsets, KafkaStatusBackingStore statuses,
                      JsonConverter keyConverter, JsonConverter valueConverter) throws Exception {
        String c = "java-files";
        configs.putConnectorConfig(c, ordered("connector.class", "FileStreamSource", "tasks.max", "2", "file", "/tmp/java-in.txt", "topic", "java-lines"), TargetState.STARTED);
        configs.putTaskConfigs(c, List.of(ordered("task.class", "FileStreamSourceTask", "file", "/tmp/java-in.txt"), ordered("task.class", "FileStreamSourceTask", "file", "/tmp/java-in-2.txt")));
        configs.putTargetState(c, TargetState.STOPPED);
        configs.putRestartRequest(new RestartRequest(c, true, false));
        configs.putTaskCountRecord(c, 2);
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) key[i] = (byte) (i * 7);
        configs.putSessionKey(new SessionKey(new SecretKeySpec(key, "HmacSHA256"), 1_700_000_000_000L));
        configs.putConnectorConfig("java-gone", ordered("connector.class", "FileStreamSink"), null);
        configs.removeConnectorConfig("java-gone");

        OffsetStorageWriter writer = new OffsetStorageWriter(offsets, c, keyConverter, valueConverter);
        writer.offset(Collections.singletonMap("filename", "/tmp/java-in.txt"), Collections.singletonMap("position", 4096L));
        Map<String, Object> table = new HashMap<>();
        table.put("table", "orders");
        table.put("protocol", "1");
        Map<String, Object> tableOffset = new HashMap<>();
        tableOffset.put("incrementing", Long.MAX_VALUE);
        writer.offset(table, tableOffset);
        writer.offset(Collections.singletonMap("filename", "/tmp/java-gone.txt"), Collections.singletonMap("position", 1L));
        flush(writer);
        writer.offset(Collections.singletonMap("filename", "/tmp/java-gone.txt"), null);
        flush(writer);

        statuses.put(new ConnectorStatus(c, AbstractStatus.State.RUNNING, null, "java-worker:8083", 3, "4.1.1"));
        statuses.put(new TaskStatus(new ConnectorTaskId(c, 0), AbstractStatus.State.FAILED, "java-worker:8083", 3, "java.lang.RuntimeException: boom", null));
        statuses.put(new TopicStatus("java-lines", c, 0, 1_700_000_000_123L));
        statuses.flush();
    }

    static void flush(OffsetStorageWriter writer) throws Exception {
        if (!writer.beginFlush()) throw new IllegalStateException("nothing to flush");
        writer.doFlush((error, result) -> {
            if (error != null) error.printStackTrace();
        }).get(30, TimeUnit.SECONDS);
    }

    static void read(KafkaConfigBackingStore configs, KafkaOffsetBackingStore offsets, KafkaStatusBackingStore statuses,
                     JsonConverter keyConverter, JsonConverter valueConverter) throws Exception {
        String c = "sluice-files";
        Map<String, Object> out = new LinkedHashMap<>();
        ClusterConfigState snapshot = configs.snapshot();
        out.put("connectors", new ArrayList<>(snapshot.connectors()));
        out.put("connectorConfig", snapshot.rawConnectorConfig(c));
        out.put("targetState", String.valueOf(snapshot.targetState(c)));
        List<Map<String, String>> tasks = new ArrayList<>();
        for (ConnectorTaskId id : snapshot.tasks(c)) tasks.add(snapshot.rawTaskConfig(id));
        out.put("taskConfigs", tasks);
        out.put("taskCountRecord", snapshot.taskCountRecord(c));
        out.put("inconsistent", new ArrayList<>(snapshot.inconsistentConnectors()));
        SessionKey sessionKey = snapshot.sessionKey();
        if (sessionKey != null) {
            out.put("sessionKey", Map.of(
                "key", java.util.Base64.getEncoder().encodeToString(sessionKey.key().getEncoded()),
                "algorithm", sessionKey.key().getAlgorithm(),
                "creationTimestamp", sessionKey.creationTimestamp()));
        }

        OffsetStorageReaderImpl reader = new OffsetStorageReaderImpl(offsets, c, keyConverter, valueConverter);
        Map<String, Object> table = new HashMap<>();
        table.put("table", "orders");
        table.put("protocol", "1");
        Map<String, Object> found = new LinkedHashMap<>();
        found.put("file", reader.offset(Collections.singletonMap("filename", "/tmp/sluice-in.txt")));
        found.put("table", reader.offset(table));
        found.put("gone", reader.offset(Collections.singletonMap("filename", "/tmp/sluice-gone.txt")));
        out.put("offsets", found);
        out.put("offsetPartitions", new ArrayList<>(offsets.connectorPartitions(c)));

        ConnectorStatus connector = statuses.get(c);
        if (connector != null) out.put("connectorStatus", status(connector));
        List<Object> taskStatuses = new ArrayList<>();
        for (TaskStatus task : statuses.getAll(c)) {
            Map<String, Object> s = status(task);
            s.put("task", task.id().task());
            taskStatuses.add(s);
        }
        out.put("taskStatuses", taskStatuses);
        List<Object> topics = new ArrayList<>();
        for (TopicStatus topic : statuses.getAllTopics(c)) {
            topics.add(Map.of("topic", topic.topic(), "connector", topic.connector(), "task", topic.task(), "discoverTimestamp", topic.discoverTimestamp()));
        }
        out.put("topics", topics);
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }

    static Map<String, Object> status(AbstractStatus<?> status) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("state", status.state().name());
        s.put("trace", status.trace());
        s.put("workerId", status.workerId());
        s.put("generation", status.generation());
        s.put("version", status.version());
        return s;
    }

    static class NoListener implements org.apache.kafka.connect.storage.ConfigBackingStore.UpdateListener {
        public void onConnectorConfigRemove(String connector) {}
        public void onConnectorConfigUpdate(String connector) {}
        public void onTaskConfigUpdate(java.util.Collection<ConnectorTaskId> tasks) {}
        public void onConnectorTargetStateChange(String connector) {}
        public void onSessionKeyUpdate(SessionKey sessionKey) {}
        public void onRestartRequest(RestartRequest request) {}
        public void onLoggingLevelUpdate(String namespace, String level) {}
    }
}
