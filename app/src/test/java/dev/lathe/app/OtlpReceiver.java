package dev.lathe.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An OTLP/HTTP collector of our own on loopback: takes {@code POST /v1/traces} and {@code /v1/metrics} in protobuf, as
 * the OpenTelemetry SDK sends them, and decodes the spans and the metrics' data points with {@link Wire}, a reader of the
 * protobuf wire format (field numbers from {@code opentelemetry-proto}'s {@code trace.proto}, {@code metrics.proto},
 * {@code common.proto}). Every body is kept raw too, so a test can look for what must never go out.
 */
final class OtlpReceiver implements AutoCloseable {
    /** A span: ids in hex (the parent empty for a root), its attributes with strings, longs, doubles, booleans, lists. */
    record Span(String name, String traceId, String spanId, String parentId, Map<String, Object> attributes, int status) {
        Object attribute(String key) { return attributes.get(key); }
    }

    /** One data point of a metric, with its attributes; {@code value} is a sum's value or a histogram's count. */
    record Point(String metric, String unit, Map<String, Object> attributes, double value) {}

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<Point> points = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final List<String> headers = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var receiver = new OtlpReceiver(server);
        server.createContext("/", receiver::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return receiver;
    }

    String url() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    List<Span> spans() { return List.copyOf(spans); }

    List<Point> points() { return List.copyOf(points); }

    /** The values of every header the collector was sent. */
    List<String> headers() { return List.copyOf(headers); }

    /** Every body received, as ISO-8859-1 text (each byte one character), for looking for what must not be there. */
    String raw() {
        var out = new StringBuilder();
        for (byte[] body : bodies) out.append(new String(body, StandardCharsets.ISO_8859_1));
        return out.toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.getRequestHeaders().forEach((name, values) -> headers.addAll(values));
            bodies.add(body);
            switch (exchange.getRequestURI().getPath()) {
                case "/v1/traces" -> traces(body);
                case "/v1/metrics" -> metrics(body);
                default -> { }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void traces(byte[] body) {
        for (Wire resource : Wire.of(body).messages(1)) {
            for (Wire scope : resource.messages(2)) {
                for (Wire span : scope.messages(2)) {
                    int status = span.messages(15).stream().mapToInt(s -> (int) s.number(3)).findFirst().orElse(0);
                    spans.add(new Span(span.string(5), hex(span.bytes(1)), hex(span.bytes(2)), hex(span.bytes(4)), attributes(span.messages(9)), status));
                }
            }
        }
    }

    private void metrics(byte[] body) {
        for (Wire resource : Wire.of(body).messages(1)) {
            for (Wire scope : resource.messages(2)) {
                for (Wire metric : scope.messages(2)) {
                    String name = metric.string(1);
                    String unit = metric.string(3);
                    // sum (7): NumberDataPoint attributes 7, as_double 4 / as_int 6; histogram (9): attributes 9, count 4
                    for (Wire sum : metric.messages(7)) {
                        for (Wire p : sum.messages(1)) {
                            double value = p.has(4) ? Double.longBitsToDouble(p.number(4)) : p.number(6);
                            points.add(new Point(name, unit, attributes(p.messages(7)), value));
                        }
                    }
                    for (Wire histogram : metric.messages(9)) {
                        for (Wire p : histogram.messages(1)) points.add(new Point(name, unit, attributes(p.messages(9)), p.number(4)));
                    }
                }
            }
        }
    }

    private static Map<String, Object> attributes(List<Wire> keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Wire kv : keyValues) out.put(kv.string(1), value(kv.messages(2).getFirst()));
        return out;
    }

    /** AnyValue: string 1, bool 2, int 3, double 4, array 5 (values 1). */
    private static Object value(Wire any) {
        if (any.has(1)) return any.string(1);
        if (any.has(2)) return any.number(2) != 0;
        if (any.has(3)) return any.number(3);
        if (any.has(4)) return Double.longBitsToDouble(any.number(4));
        if (any.has(5)) return any.messages(5).getFirst().messages(1).stream().map(OtlpReceiver::value).toList();
        return null;
    }

    private static String hex(byte[] bytes) { return HexFormat.of().formatHex(bytes); }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One protobuf message read from the wire format: each field number's values, varints and fixed as longs, the rest as bytes. */
    record Wire(Map<Integer, List<Object>> fields) {
        static Wire of(byte[] data) {
            Map<Integer, List<Object>> fields = new LinkedHashMap<>();
            int[] at = {0};
            while (at[0] < data.length) {
                long key = varint(data, at);
                int field = (int) (key >>> 3);
                Object value = switch ((int) (key & 7)) {
                    case 0 -> varint(data, at);
                    case 1 -> fixed(data, at, 8);
                    case 2 -> {
                        int length = (int) varint(data, at);
                        byte[] bytes = java.util.Arrays.copyOfRange(data, at[0], at[0] + length);
                        at[0] += length;
                        yield bytes;
                    }
                    case 5 -> fixed(data, at, 4);
                    default -> throw new IllegalArgumentException("wire type " + (key & 7) + " at " + at[0]);
                };
                fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
            }
            return new Wire(fields);
        }

        boolean has(int field) { return fields.containsKey(field); }

        long number(int field) { return has(field) ? (Long) fields.get(field).getFirst() : 0; }

        byte[] bytes(int field) { return has(field) ? (byte[]) fields.get(field).getFirst() : new byte[0]; }

        String string(int field) { return new String(bytes(field), StandardCharsets.UTF_8); }

        List<Wire> messages(int field) {
            return fields.getOrDefault(field, List.of()).stream().map(v -> Wire.of((byte[]) v)).toList();
        }

        private static long varint(byte[] data, int[] at) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = data[at[0]++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) return value;
            }
        }

        private static long fixed(byte[] data, int[] at, int size) {
            long value = 0;
            for (int i = 0; i < size; i++) value |= (long) (data[at[0]++] & 0xff) << (8 * i);
            return value;
        }
    }
}
