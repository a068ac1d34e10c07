package io.consolechat.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON codec both sides use. Timestamps are ISO-8601 UTC with milliseconds, always three digits,
 * so that they sort as text and look alike on every line. U+2028 and U+2029 are written escaped (see
 * {@link LineSeparatorEscapes}).
 */
public final class Json {
    private static final DateTimeFormatter INSTANT_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper;

    public Json() {
        var instants = new SimpleModule("instant-millis");
        instants.addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(format(value));
            }
        });
        mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(instants)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        // {"text": 5} or {"username": true} is a mistake to report, not a value to convert.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Deeply nested input must fail fast as bad input, not as a stack overflow.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(1 << 20)
                .maxNumberLength(64)
                .build());
        mapper.getFactory().setCharacterEscapes(new LineSeparatorEscapes());
    }

    /**
     * JSON allows U+2028 (line separator) and U+2029 (paragraph separator) raw inside strings, but some line
     * splitters (Python's {@code str.splitlines}, Unicode-aware readers and editors) end a line there, which
     * would cut an NDJSON line in two. Written as <code>&#92;u2028</code> and <code>&#92;u2029</code> they stay
     * inside their line and decode to the same text. Everything else is escaped as Jackson does by default.
     */
    private static final class LineSeparatorEscapes extends CharacterEscapes {
        private static final SerializableString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializableString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");
        private static final int[] ASCII = CharacterEscapes.standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case 0x2028 -> LINE_SEPARATOR;
                case 0x2029 -> PARAGRAPH_SEPARATOR;
                default -> null;
            };
        }
    }

    public static String format(Instant instant) {
        return INSTANT_MILLIS.format(instant);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] writeBytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(String text, Class<T> type) throws JsonProcessingException {
        return mapper.readValue(text, type);
    }

    public <T> T read(byte[] bytes, Class<T> type) throws IOException {
        return mapper.readValue(bytes, type);
    }

    private static StreamItem.RoomsEnd roomsEnd(JsonNode node) {
        var since = new java.util.LinkedHashMap<String, Long>();
        node.path("since").properties().forEach(entry -> since.put(entry.getKey(), entry.getValue().asLong()));
        return new StreamItem.RoomsEnd(since, node.hasNonNull("me") ? node.path("me").asLong() : null);
    }

    /**
     * Parses one line of a stream into an event, an item of the personal stream, the end line (of one room
     * or of several) or a keepalive; null for an event type this version does not know, which a client skips
     * (the server may add types; see docs/API.md).
     */
    public StreamItem readStreamItem(String line) throws JsonProcessingException {
        JsonNode node = mapper.readTree(line);
        var type = node.path("type").asText("");
        return switch (type) {
            case "end" -> node.path("since").isObject() ? roomsEnd(node) : new StreamItem.End(node.path("since").asLong());
            case "keepalive" -> new StreamItem.Keepalive();
            // A personal item has an id; a room's event (of type kick or ban too) has none.
            default -> node.has("id") && PersonalEvent.Kind.of(type).isPresent()
                    ? mapper.treeToValue(node, PersonalEvent.class)
                    : node.isObject() && node.path("type").isTextual() && EventType.of(type).isEmpty()
                    ? null : mapper.treeToValue(node, Event.class);
        };
    }
}
