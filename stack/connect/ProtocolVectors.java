// Reference bytes of Kafka Connect's group protocol (worker metadata for JoinGroup and the
// leader's assignment for SyncGroup), written by Apache Kafka Connect 4.1.1's own serializers, for
// packages/worker/src/distributed/connect-protocol.test.ts.
//
// Run from the repository root after fetching the jars of stack/connect/pom.xml:
//   mvn -B -q -f stack/connect/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
//     -DincludeScope=runtime -DoutputDirectory="$PWD/.stack/connect/lib"
//   java -cp '.stack/connect/lib/*' stack/connect/ProtocolVectors.java \
//     > packages/worker/src/distributed/connect-protocol-vectors.json
//
// Output: a JSON array, one entry per line.
//   {"kind":"metadata"|"assignment","name":…,"hex":…,"value":{…}}
//     hex: what the serializer wrote; value: those bytes read back by Kafka's own deserializer,
//     so lists are in the order they have on the wire (Kafka writes assigned connectors in
//     HashSet order). A 64-bit config offset is a decimal string.
//   {"kind":"protocols","name":…,"protocols":[{"name":…,"hex":…}]}
//     the JoinGroup protocol list a worker sends for one connect.protocol setting, in preference order.
//   "decodeOnly": true marks bytes of an older version read by the newer deserializer (the
//   incremental one reading eager bytes): Sluice must read them the same way, but writes them
//   back in their own version.

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.connect.runtime.distributed.ConnectProtocol;
import org.apache.kafka.connect.runtime.distributed.ExtendedAssignment;
import org.apache.kafka.connect.runtime.distributed.ExtendedWorkerState;
import org.apache.kafka.connect.runtime.distributed.IncrementalCooperativeConnectProtocol;
import org.apache.kafka.connect.util.ConnectorTaskId;

public class ProtocolVectors {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final List<String> LINES = new ArrayList<>();

    static String hex(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static ByteBuffer unhex(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }

    static ConnectorTaskId task(String connector, int task) {
        return new ConnectorTaskId(connector, task);
    }

    static ArrayNode tasksNode(Collection<ConnectorTaskId> tasks) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ConnectorTaskId id : tasks) {
            array.add(MAPPER.createObjectNode().put("connector", id.connector()).put("task", id.task()));
        }
        return array;
    }

    static ArrayNode stringsNode(Collection<String> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    static ObjectNode assignmentNode(ConnectProtocol.Assignment assignment) {
        ObjectNode node = MAPPER.createObjectNode();
        boolean extended = assignment instanceof ExtendedAssignment;
        node.put("version", extended ? ((ExtendedAssignment) assignment).version() : 0);
        node.put("error", assignment.error());
        node.put("leader", assignment.leader());
        node.put("leaderUrl", assignment.leaderUrl());
        node.put("configOffset", Long.toString(assignment.offset()));
        node.set("connectors", stringsNode(assignment.connectors()));
        node.set("tasks", tasksNode(assignment.tasks()));
        node.set("revokedConnectors", stringsNode(extended ? ((ExtendedAssignment) assignment).revokedConnectors() : List.of()));
        node.set("revokedTasks", tasksNode(extended ? ((ExtendedAssignment) assignment).revokedTasks() : List.of()));
        node.put("delayMs", extended ? ((ExtendedAssignment) assignment).delay() : 0);
        return node;
    }

    static void emit(String kind, String name, String hex, ObjectNode value, boolean decodeOnly) throws Exception {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", kind);
        node.put("name", name);
        node.put("hex", hex);
        node.set("value", value);
        if (decodeOnly) node.put("decodeOnly", true);
        LINES.add(MAPPER.writeValueAsString(node));
    }

    /** V0 metadata, read back by the eager deserializer and by the incremental one. */
    static void eagerMetadata(String name, String url, long offset) throws Exception {
        String hex = hex(ConnectProtocol.serializeMetadata(new ConnectProtocol.WorkerState(url, offset)));
        ConnectProtocol.WorkerState read = ConnectProtocol.deserializeMetadata(unhex(hex));
        ObjectNode value = MAPPER.createObjectNode().put("version", 0).put("url", read.url()).put("configOffset", Long.toString(read.offset()));
        value.putNull("allocation");
        emit("metadata", name, hex, value, false);
    }

    static void incrementalMetadata(String name, String url, long offset, ExtendedAssignment allocation, boolean sessioned) throws Exception {
        String hex = hex(IncrementalCooperativeConnectProtocol.serializeMetadata(new ExtendedWorkerState(url, offset, allocation), sessioned));
        ExtendedWorkerState read = IncrementalCooperativeConnectProtocol.deserializeMetadata(unhex(hex));
        ObjectNode value = MAPPER.createObjectNode().put("version", sessioned ? 2 : 1).put("url", read.url()).put("configOffset", Long.toString(read.offset()));
        // Kafka reads "no allocation" as its shared empty assignment.
        if (read.assignment() == ExtendedAssignment.empty()) value.putNull("allocation");
        else value.set("allocation", assignmentNode(read.assignment()));
        emit("metadata", name, hex, value, false);
    }

    static void eagerAssignment(String name, ConnectProtocol.Assignment assignment) throws Exception {
        String hex = hex(ConnectProtocol.serializeAssignment(assignment));
        emit("assignment", name, hex, assignmentNode(ConnectProtocol.deserializeAssignment(unhex(hex))), false);
        // A worker of the incremental protocol reads eager bytes with revoked = [] and delay = 0.
        ObjectNode asIncremental = assignmentNode(IncrementalCooperativeConnectProtocol.deserializeAssignment(unhex(hex)));
        emit("assignment", name + " (read as incremental)", hex, asIncremental, true);
    }

    static void incrementalAssignment(String name, ExtendedAssignment assignment, boolean sessioned) throws Exception {
        String hex = hex(IncrementalCooperativeConnectProtocol.serializeAssignment(assignment, sessioned));
        emit("assignment", name, hex, assignmentNode(IncrementalCooperativeConnectProtocol.deserializeAssignment(unhex(hex))), false);
    }

    static void protocols(String name, JoinGroupRequestProtocolCollection collection) throws Exception {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", "protocols");
        node.put("name", name);
        ArrayNode list = node.putArray("protocols");
        for (JoinGroupRequestProtocol protocol : collection) {
            list.add(MAPPER.createObjectNode().put("name", protocol.name()).put("hex", HexFormat.of().formatHex(protocol.metadata())));
        }
        LINES.add(MAPPER.writeValueAsString(node));
    }

    static ExtendedAssignment extended(short version, short error, String leader, String leaderUrl, long offset,
                                       List<String> connectors, List<ConnectorTaskId> tasks,
                                       List<String> revokedConnectors, List<ConnectorTaskId> revokedTasks, int delay) {
        return new ExtendedAssignment(version, error, leader, leaderUrl, offset,
                new ArrayList<>(connectors), new ArrayList<>(tasks), new ArrayList<>(revokedConnectors), new ArrayList<>(revokedTasks), delay);
    }

    public static void main(String[] args) throws Exception {
        String leader = "connect-1-4b9c0f3e-9d1a-4a43-9f0e-5b8f1f3c2a10";
        String leaderUrl = "http://10.0.0.1:8083/";

        eagerMetadata("v0 metadata", "http://worker-1:8083/", 42L);
        eagerMetadata("v0 metadata, nothing read from the config topic yet", "http://wörker-ü:8083/", -1L);
        eagerMetadata("v0 metadata, largest offset", "https://[::1]:8443/", Long.MAX_VALUE);

        ExtendedAssignment allocation = extended((short) 1, (short) 0, leader, leaderUrl, 17L,
                List.of("orders-sink"), List.of(task("orders-sink", 0), task("orders-sink", 2), task("files-source", 1)),
                List.of(), List.of(), 0);
        ExtendedAssignment allocationV2 = extended((short) 2, (short) 0, leader, leaderUrl, 17L,
                List.of("orders-sink", "files-source"), List.of(task("files-source", 0), task("orders-sink", 1)),
                List.of(), List.of(), 0);
        incrementalMetadata("v1 metadata, new worker (no allocation)", "http://worker-2:8083/", 17L, null, false);
        incrementalMetadata("v1 metadata, the empty assignment is written as no allocation", "http://worker-2:8083/", 17L, ExtendedAssignment.empty(), false);
        incrementalMetadata("v1 metadata with its previous assignment", "http://worker-2:8083/", 18L, allocation, false);
        incrementalMetadata("v2 metadata, new worker (no allocation)", "http://worker-3:8083/", 0L, null, true);
        incrementalMetadata("v2 metadata with its previous assignment", "http://worker-3:8083/", 18L, allocationV2, true);

        protocols("connect.protocol=sessioned", IncrementalCooperativeConnectProtocol.metadataRequest(
                new ExtendedWorkerState("http://worker-3:8083/", 18L, allocationV2), true));
        protocols("connect.protocol=compatible", IncrementalCooperativeConnectProtocol.metadataRequest(
                new ExtendedWorkerState("http://worker-2:8083/", 18L, allocation), false));

        eagerAssignment("v0 assignment", new ConnectProtocol.Assignment((short) 0, leader, leaderUrl, 1234L,
                List.of("mirror"), List.of(task("mirror", 0), task("mirror", 1), task("jdbc-source", 3))));
        eagerAssignment("v0 assignment, config mismatch", new ConnectProtocol.Assignment((short) 1, leader, leaderUrl, 99L, List.of(), List.of()));

        incrementalAssignment("v1 assignment", extended((short) 1, (short) 0, leader, leaderUrl, 1234L,
                List.of("mirror"), List.of(task("mirror", 0), task("mirror", 1), task("jdbc-source", 3)),
                List.of(), List.of(), 0), false);
        incrementalAssignment("v1 assignment with revocations", extended((short) 1, (short) 0, leader, leaderUrl, 1234L,
                List.of(), List.of(),
                List.of("mirror"), List.of(task("jdbc-source", 0), task("mirror", 2), task("jdbc-source", 4)), 0), false);
        incrementalAssignment("v1 assignment with a scheduled rebalance delay", extended((short) 1, (short) 0, leader, leaderUrl, 7L,
                List.of(), List.of(), List.of(), List.of(), 4321), false);
        incrementalAssignment("v2 assignment, several connectors", extended((short) 2, (short) 0, leader, leaderUrl, 5678L,
                List.of("a", "b", "c", "connector-with-a-long-name"),
                List.of(task("b", 0), task("a", 0), task("a", 1), task("d", 7), task("connector-with-a-long-name", 2147483647)),
                List.of("e"), List.of(task("e", 0), task("f", 3)), 300000), true);
        incrementalAssignment("v2 assignment, config mismatch", extended((short) 2, (short) 1, leader, "", 99L,
                List.of(), List.of(), List.of(), List.of(), 0), true);
        incrementalAssignment("v2 assignment, unicode names", extended((short) 2, (short) 0, "m€mber", "http://hôte:8083/", 0L,
                List.of("connecteur-é"), List.of(task("connecteur-é", 0)), List.of(), List.of(), 0), true);

        System.out.println("[");
        for (int i = 0; i < LINES.size(); i++) {
            System.out.println(LINES.get(i) + (i + 1 < LINES.size() ? "," : ""));
        }
        System.out.println("]");
    }
}
