// Reference vectors for Sluice's converters, printed by Apache Kafka's own classes.
//
// Run from the repository root (after fetching the jars, see pom.xml next to this file) with a JDK
// of version 19 or later (older JDKs print a few doubles with extra digits, e.g. 2e23 as
// 1.9999999999999998E23; newer ones print the shortest decimal, as the JDK 19+ javadoc specifies):
//   TZ=UTC java -Duser.timezone=UTC -cp '.stack/connect-json/lib/*' stack/connect-json/Vectors.java \
//     > packages/worker/src/converters/json-vectors.json
//
// Output: a JSON array, one entry per line.
//   {"kind":"json","name":…,"config":{…},"hex":…|null}   JsonConverter.fromConnectData (value converter)
//   {"kind":"header-write","name":…,"text":…|null}        SimpleHeaderConverter.fromConnectHeader, as UTF-8 text
//   {"kind":"header-read","input":…,"envelope":…|null,"error":…}  SimpleHeaderConverter.toConnectHeader(input),
//        the result described as JsonConverter (schemas.enable=true) envelope text ("result":null when
//        Values.parseString returned no SchemaAndValue at all; schemaType+valueText for a map that
//        JsonConverter cannot describe)
// The names of the "json" and "header-write" entries match the cases built again in TypeScript in
// packages/worker/src/converters/vectors.test.fixtures.ts.

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

public class Vectors {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final List<String> LINES = new ArrayList<>();

    record Case(String name, Schema schema, Object value, boolean decimal, boolean withDefault) {}

    static final List<Case> CASES = new ArrayList<>();

    static void add(String name, Schema schema, Object value) {
        CASES.add(new Case(name, schema, value, false, false));
    }

    static void addDecimal(String name, Schema schema, Object value) {
        CASES.add(new Case(name, schema, value, true, false));
    }

    static void addDefault(String name, Schema schema, Object value) {
        CASES.add(new Case(name, schema, value, false, true));
    }

    static <K, V> Map<K, V> map(Object... kv) {
        Map<K, V> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked") K k = (K) kv[i];
            @SuppressWarnings("unchecked") V v = (V) kv[i + 1];
            out.put(k, v);
        }
        return out;
    }

    static java.util.Date utc(long millis) {
        return new java.util.Date(millis);
    }

    static void cases() {
        add("int8", Schema.INT8_SCHEMA, (byte) -128);
        add("int16", Schema.INT16_SCHEMA, (short) 32767);
        add("int32", Schema.INT32_SCHEMA, Integer.MIN_VALUE);
        add("int64-max", Schema.INT64_SCHEMA, Long.MAX_VALUE);
        add("int64-min", Schema.INT64_SCHEMA, Long.MIN_VALUE);
        add("float32-0.1", Schema.FLOAT32_SCHEMA, 0.1f);
        add("float32-1e10", Schema.FLOAT32_SCHEMA, 1e10f);
        add("float32-neg-zero", Schema.FLOAT32_SCHEMA, -0.0f);
        add("float32-third", Schema.FLOAT32_SCHEMA, 1f / 3);
        add("float32-max", Schema.FLOAT32_SCHEMA, Float.MAX_VALUE);
        add("float32-min", Schema.FLOAT32_SCHEMA, Float.MIN_VALUE);
        add("float32-1e-3", Schema.FLOAT32_SCHEMA, 0.001f);
        add("float32-1e7", Schema.FLOAT32_SCHEMA, 1e7f);
        add("float32-nan", Schema.FLOAT32_SCHEMA, Float.NaN);
        add("float64-1.5", Schema.FLOAT64_SCHEMA, 1.5);
        add("float64-100", Schema.FLOAT64_SCHEMA, 100.0);
        add("float64-1e10", Schema.FLOAT64_SCHEMA, 1e10);
        add("float64-neg-zero", Schema.FLOAT64_SCHEMA, -0.0);
        add("float64-sum", Schema.FLOAT64_SCHEMA, 0.1 + 0.2);
        add("float64-1e-7", Schema.FLOAT64_SCHEMA, 1e-7);
        add("float64-1e-3", Schema.FLOAT64_SCHEMA, 0.001);
        add("float64-9999999", Schema.FLOAT64_SCHEMA, 9999999.0);
        add("float64-1e7", Schema.FLOAT64_SCHEMA, 1e7);
        add("float64-1e21", Schema.FLOAT64_SCHEMA, 1e21);
        add("float64-123456789", Schema.FLOAT64_SCHEMA, 123456789.0);
        add("float64-min", Schema.FLOAT64_SCHEMA, Double.MIN_VALUE);
        add("float64-max", Schema.FLOAT64_SCHEMA, Double.MAX_VALUE);
        add("float64-2e23", Schema.FLOAT64_SCHEMA, 2e23);
        add("float64-nan", Schema.FLOAT64_SCHEMA, Double.NaN);
        add("float64-inf", Schema.FLOAT64_SCHEMA, Double.POSITIVE_INFINITY);
        add("float64-neg-inf", Schema.FLOAT64_SCHEMA, Double.NEGATIVE_INFINITY);
        add("boolean", Schema.BOOLEAN_SCHEMA, true);
        add("string-unicode", Schema.STRING_SCHEMA, "h\u00e9llo \"w\u00f6rld\" \\ / \n\t\r\b\f\u0001\u001f\u007f \u65e5\u672c \ud83d\ude00 \u2028");
        add("string-empty", Schema.STRING_SCHEMA, "");
        add("bytes-empty", Schema.BYTES_SCHEMA, new byte[0]);
        add("bytes", Schema.BYTES_SCHEMA, new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff, 0x7f, (byte) 0x80});
        add("optional-string-null", Schema.OPTIONAL_STRING_SCHEMA, null);
        add("optional-int64-null", Schema.OPTIONAL_INT64_SCHEMA, null);
        add("tombstone", null, null);
        add("int64-named", SchemaBuilder.int64().name("com.acme.Id").version(3).doc("An \"id\"")
            .parameter("z", "1").parameter("a", "2").parameter("m", "\u00e9").build(), 42L);
        addDefault("string-default-null", SchemaBuilder.string().optional().defaultValue("dflt").build(), null);
        addDefault("int32-default-set", SchemaBuilder.int32().defaultValue(7).build(), 8);
        addDefault("float32-default", SchemaBuilder.float32().optional().defaultValue(0.1f).build(), null);
        addDefault("bytes-default", SchemaBuilder.bytes().optional().defaultValue(new byte[] {1, 2, 3}).build(), null);
        addDefault("array-default", SchemaBuilder.array(Schema.INT32_SCHEMA).optional().defaultValue(List.of(1, 2)).build(), null);

        addDecimal("decimal-12.30", Decimal.schema(2), new BigDecimal(BigInteger.valueOf(1230), 2));
        addDecimal("decimal-neg", Decimal.schema(2), new BigDecimal(BigInteger.valueOf(-105), 2));
        addDecimal("decimal-zero", Decimal.schema(0), BigDecimal.ZERO);
        addDecimal("decimal-neg-128", Decimal.schema(0), BigDecimal.valueOf(-128));
        addDecimal("decimal-128", Decimal.schema(0), BigDecimal.valueOf(128));
        addDecimal("decimal-neg-scale", Decimal.schema(-2), new BigDecimal(BigInteger.valueOf(12345), -2));
        addDecimal("decimal-small", Decimal.schema(10), new BigDecimal(BigInteger.valueOf(1234), 10));
        addDecimal("decimal-small-neg", Decimal.schema(9), new BigDecimal(BigInteger.valueOf(-5), 9));
        addDecimal("decimal-big", Decimal.schema(4), new BigDecimal(new BigInteger("123456789012345678901234567890"), 4));
        addDecimal("decimal-optional-null", Decimal.builder(2).optional().build(), null);
        addDecimal("decimal-default", Decimal.builder(1).optional().defaultValue(new BigDecimal(BigInteger.valueOf(15), 1)).build(), null);
        addDecimal("decimal-in-struct", SchemaBuilder.struct().field("amount", Decimal.schema(3)).build(),
            new Struct(SchemaBuilder.struct().field("amount", Decimal.schema(3)).build()).put("amount", new BigDecimal(BigInteger.valueOf(-1), 3)));

        add("date", Date.SCHEMA, utc(19_000L * 86_400_000L));
        add("date-before-epoch", Date.SCHEMA, utc(-3L * 86_400_000L));
        add("time", Time.SCHEMA, utc(45_296_789L));
        add("timestamp", Timestamp.SCHEMA, utc(1_700_000_000_123L));
        add("timestamp-negative", Timestamp.SCHEMA, utc(-1L));
        add("date-optional", SchemaBuilder.int32().name(Date.LOGICAL_NAME).version(1).optional().build(), null);

        add("array-int32", SchemaBuilder.array(Schema.INT32_SCHEMA).build(), List.of(1, -2, 3));
        add("array-empty", SchemaBuilder.array(Schema.STRING_SCHEMA).build(), List.of());
        add("array-optional-strings", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build(), Arrays.asList("a", null, "c"));
        add("array-of-arrays", SchemaBuilder.array(SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build()).build(),
            List.of(List.of(1.0, 2.5), List.of()));
        add("map-string-int64", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build(), map("b", 2L, "a", 1L, "\u00e9", -1L));
        add("map-int32-string", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build(), map(2, "two", -1, "minus one"));
        add("map-empty-int-keys", SchemaBuilder.map(Schema.INT8_SCHEMA, Schema.STRING_SCHEMA).build(), map());
        add("map-empty", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build(), map());
        Schema point = SchemaBuilder.struct().name("Point").field("x", Schema.INT32_SCHEMA).field("y", Schema.INT32_SCHEMA).build();
        add("map-struct-keys", SchemaBuilder.map(point, Schema.OPTIONAL_STRING_SCHEMA).optional().build(),
            map(new Struct(point).put("x", 1).put("y", 2), "p", new Struct(point).put("x", 3).put("y", 4), null));
        add("map-string-array", SchemaBuilder.map(Schema.STRING_SCHEMA, SchemaBuilder.array(Schema.BOOLEAN_SCHEMA).build()).build(),
            map("flags", List.of(true, false)));

        Schema address = SchemaBuilder.struct().name("com.acme.Address").version(2).doc("Where")
            .field("street", Schema.STRING_SCHEMA)
            .field("zip", SchemaBuilder.string().optional().defaultValue("00000").build())
            .optional().build();
        Schema user = SchemaBuilder.struct().name("com.acme.User").version(1)
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("score", Schema.FLOAT32_SCHEMA)
            .field("ratio", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("active", Schema.BOOLEAN_SCHEMA)
            .field("small", Schema.INT8_SCHEMA)
            .field("medium", Schema.INT16_SCHEMA)
            .field("count", SchemaBuilder.int32().defaultValue(0).build())
            .field("avatar", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("amount", Decimal.builder(2).optional().build())
            .field("born", Date.builder().optional().build())
            .field("wake", Time.builder().optional().build())
            .field("created", Timestamp.SCHEMA)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).build())
            .field("home", address)
            .field("work", address)
            .field("others", SchemaBuilder.array(address).optional().build())
            .build();
        Struct home = new Struct(address).put("street", "1 Main St");
        Struct u = new Struct(user)
            .put("id", 42L).put("name", "Ada").put("score", 0.1f).put("ratio", null).put("active", true)
            .put("small", (byte) 1).put("medium", (short) -300)
            .put("avatar", new byte[] {9, 8}).put("amount", new BigDecimal(BigInteger.valueOf(500), 2))
            .put("born", utc(86_400_000L * 365)).put("wake", utc(3_600_000L)).put("created", utc(1_700_000_000_000L))
            .put("tags", List.of("x", "y")).put("attrs", map("k", "v", "n", null))
            .put("home", home).put("work", null)
            .put("others", List.of(new Struct(address).put("street", "2 Side St").put("zip", "12345")));
        add("struct-nested", user, u);
        Schema empty = SchemaBuilder.struct().build();
        add("struct-empty", empty, new Struct(empty));

        add("schemaless-int64", null, 5L);
        add("schemaless-string", null, "plain");
        add("schemaless-double", null, 2.5);
        add("schemaless-boolean", null, false);
        add("schemaless-map", null, map("a", 1L, "b", Arrays.asList(true, "x", null), "c", map("d", "e")));
        add("schemaless-array", null, List.of(1L, "two", 3.5));
        add("schemaless-map-int-keys", null, map(1L, "one", 2L, "two"));
        add("schemaless-bytes", null, new byte[] {1, 2});
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(String.format("%02x", b & 0xff));
        return sb.toString();
    }

    static void line(ObjectNode node) throws Exception {
        LINES.add(MAPPER.writeValueAsString(node));
    }

    static void json(Case c, Map<String, String> config) throws Exception {
        JsonConverter converter = new JsonConverter();
        converter.configure(config, false);
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", "json");
        node.put("name", c.name());
        ObjectNode cfg = node.putObject("config");
        config.forEach(cfg::put);
        try {
            byte[] bytes = converter.fromConnectData("topic", c.schema(), c.value());
            if (bytes == null) node.putNull("hex");
            else node.put("hex", hex(bytes));
        } catch (Exception e) {
            node.put("error", e.getMessage());
        }
        line(node);
    }

    static void headerWrite(String name, Schema schema, Object value) throws Exception {
        SimpleHeaderConverter converter = new SimpleHeaderConverter();
        byte[] bytes = converter.fromConnectHeader("topic", "h", schema, value);
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", "header-write");
        node.put("name", name);
        if (bytes == null) node.putNull("text");
        else node.put("text", new String(bytes, StandardCharsets.UTF_8));
        line(node);
    }

    static void headerRead(String input) throws Exception {
        SimpleHeaderConverter converter = new SimpleHeaderConverter();
        JsonConverter describe = new JsonConverter();
        describe.configure(Map.of(), false);
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", "header-read");
        node.put("input", input);
        try {
            SchemaAndValue result = converter.toConnectHeader("topic", "h", input.getBytes(StandardCharsets.UTF_8));
            if (result == null) {
                node.putNull("result");
            } else if (result.schema() != null && result.schema().type() == Schema.Type.MAP && result.schema().keySchema() == null) {
                // JsonConverter cannot describe a map without a key schema: give the schema type and the text instead
                node.put("schemaType", "MAP");
                node.put("valueText", org.apache.kafka.connect.data.Values.convertToString(result.schema(), result.value()));
            } else {
                byte[] bytes = describe.fromConnectData("topic", result.schema(), result.value());
                if (bytes == null) node.putNull("envelope");
                else node.put("envelope", new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            node.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        line(node);
    }

    public static void main(String[] args) throws Exception {
        cases();
        for (Case c : CASES) {
            json(c, Map.of("schemas.enable", "true"));
            json(c, Map.of("schemas.enable", "false"));
            if (c.decimal()) {
                json(c, Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"));
                json(c, Map.of("schemas.enable", "false", "decimal.format", "NUMERIC"));
            }
            if (c.withDefault()) {
                json(c, Map.of("schemas.enable", "true", "replace.null.with.default", "false"));
            }
        }
        for (Case c : CASES) {
            if (c.name().startsWith("float") || c.name().startsWith("struct") || c.name().startsWith("schemaless")
                || c.name().startsWith("string") || c.name().startsWith("decimal-") || c.name().startsWith("map-")
                || c.name().startsWith("array-") || c.name().startsWith("date") || c.name().startsWith("time")
                || c.name().startsWith("bytes") || c.name().startsWith("int")) {
                try {
                    headerWrite(c.name(), c.schema(), c.value());
                } catch (Exception e) {
                    ObjectNode node = MAPPER.createObjectNode();
                    node.put("kind", "header-write");
                    node.put("name", c.name());
                    node.put("error", e.getMessage());
                    line(node);
                }
            }
        }
        for (String input : List.of(
                "true", "false", "null", "TRUE", "42", "-128", "-129", "40000", "3000000000", "9223372036854775807",
                "9223372036854775808", "1.5", "1.0", "0.1", "-0", "+5", "1.5e3", "1e-50", "3.5e38", "1e400", "0x10",
                "hello", "hello world", "", " ", "true}", "12,34", "a:b", "[1,2,3]", "[1,1000]", "[1,2.5]", "[1, 2 ,3 ]",
                "[]", "[\"a\",\"b\"]", "[1,\"a\"]", "[1,null]", "[null]", "[a,b]", "[true,false]", "[\"a\\\"b\"]",
                "[[1],[2,3]]", "[1,", "[,1]", "{\"a\":1,\"b\":2}", "{}", "{1:\"x\",2:\"y\"}", "{\"a\":[1,2]}", "{\"a\":null}",
                "{\"a\":1 \"b\":2}", "{null:1}", "{\"a\"}", "2024-01-02", "12:34:56.789Z", "2024-01-02T12:34:56.789Z",
                "[\"2024-01-02\",\"2024-01-03\"]", "[2024-01-02]", "{\"t\":\"12:34:56.789Z\"}", "2024-13-45", "\u65e5\u672c")) {
            headerRead(input);
        }
        System.out.println("[");
        for (int i = 0; i < LINES.size(); i++) {
            System.out.println(LINES.get(i) + (i + 1 < LINES.size() ? "," : ""));
        }
        System.out.println("]");
    }
}
