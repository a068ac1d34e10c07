package io.consolechat.server.fuzz;

import static io.consolechat.server.fuzz.FuzzTarget.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.testing.RawHttp.Reply;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Query parameters with garbage, negatives, huge values and repeats: a request is accepted exactly when the
 * first value of every parameter it names is a whole number in range (the API's rule), else 400.
 */
@AddLifecycleHook(FuzzTries.class)
@AddLifecycleHook(FuzzTarget.PerClass.class)
class QueryFuzzTest {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** The ranges the API documents, for the stream and for the messages endpoint. */
    private static final Map<String, BigInteger[]> STREAM = Map.of(
            "timeout", range(0, 3600), "history", range(0, 500),
            "since", new BigInteger[] {BigInteger.ZERO, LONG_MAX.subtract(BigInteger.ONE)});
    private static final Map<String, BigInteger[]> MESSAGES = Map.of(
            "before", new BigInteger[] {BigInteger.ONE, LONG_MAX}, "limit", range(0, 500));

    record Param(String name, String value) {
    }

    @Property(tries = 300)
    void streamParameters(@ForAll("streamParams") List<Param> params) {
        var reply = get("/room/fuzz-query", params, null);
        if (target().rateLimited(reply)) {
            return;
        }
        assertThat(reply.status()).as("%s -> %s", params, reply).isEqualTo(acceptable(params, STREAM) ? 200 : 400);
        if (reply.status() == 200) {
            assertThat(reply.contentType()).startsWith("application/x-ndjson");
        } else {
            assertThat(reply.text()).contains("\"error\":\"invalid_request\"");
        }
    }

    @Property(tries = 300)
    void messageParameters(@ForAll("messageParams") List<Param> params) {
        var reply = get("/room/fuzz-query/messages", params, null);
        if (target().rateLimited(reply)) {
            return;
        }
        assertThat(reply.status()).as("%s -> %s", params, reply).isEqualTo(acceptable(params, MESSAGES) ? 200 : 400);
        if (reply.status() == 200) {
            assertThat(reply.text()).startsWith("[");
        }
    }

    @Property(tries = 150)
    void lastEventIdHeader(@ForAll("numbers") String value) {
        var printable = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        var id = printable ? value : "x" + value.chars().filter(c -> c >= 0x20 && c < 0x7f)
                .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());
        var reply = get("/room/fuzz-query", List.of(new Param("timeout", "0")), id);
        if (target().rateLimited(reply)) {
            return;
        }
        // The header is stripped of surrounding blanks, as HTTP header values are.
        var acceptable = acceptable(List.of(new Param("since", id.strip())), STREAM);
        assertThat(reply.status()).as("Last-Event-ID %s -> %s", id, reply).isEqualTo(acceptable ? 200 : 400);
    }

    /** The edge of the documented range is inside it. */
    @Example
    void theLargestBeforeIsAccepted() {
        var reply = get("/room/fuzz-query/messages", List.of(new Param("before", Long.toString(Long.MAX_VALUE))), null);
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    }

    /** Unknown parameters and parameters of other endpoints are ignored everywhere. */
    @Property(tries = 100)
    void otherEndpointsIgnoreParameters(@ForAll("streamParams") List<Param> params,
                                        @ForAll("plainEndpoints") String path) {
        var reply = get(path, params, null);
        if (target().rateLimited(reply)) {
            return;
        }
        assertThat(reply.status()).as("%s %s -> %s", path, params, reply).isEqualTo(200);
    }

    @Provide
    Arbitrary<String> plainEndpoints() {
        return Arbitraries.of("/health", "/me", "/rooms", "/room/fuzz-query/members");
    }

    private static Reply get(String path, List<Param> params, String lastEventId) {
        var query = params.stream()
                .map(p -> URLEncoder.encode(p.name(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(p.value(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var builder = target().request(path + (query.isEmpty() ? "" : "?" + query))
                .header("Authorization", "Bearer " + target().token).GET();
        if (lastEventId != null) {
            builder.header("Accept", "text/event-stream").header("Last-Event-ID", lastEventId);
        }
        var reply = target().send(builder.build());
        target().assertAnswered(reply, path + "?" + query);
        return reply;
    }

    /** The rule: the first value of each known parameter is at most 19 digits and within its range. */
    private static boolean acceptable(List<Param> params, Map<String, BigInteger[]> ranges) {
        var first = new HashMap<String, String>();
        params.forEach(p -> first.putIfAbsent(p.name(), p.value()));
        return ranges.entrySet().stream().allMatch(range -> {
            var value = first.get(range.getKey());
            if (value == null) {
                return true;
            }
            if (!DIGITS.matcher(value).matches()) {
                return false;
            }
            var number = new BigInteger(value);
            return number.compareTo(range.getValue()[0]) >= 0 && number.compareTo(range.getValue()[1]) <= 0;
        });
    }

    @Provide
    Arbitrary<List<Param>> streamParams() {
        return params(Arbitraries.of("timeout", "since", "history", "Timeout", "limit", "x"));
    }

    @Provide
    Arbitrary<List<Param>> messageParams() {
        return params(Arbitraries.of("before", "limit", "Before", "since", "y"));
    }

    private Arbitrary<List<Param>> params(Arbitrary<String> names) {
        return Combinators.combine(names, numbers()).as(Param::new).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 3700).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("", "-0", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "00", "0001", "\uff19", "\u0663",
                        "NaN", "Infinity", "9223372036854775807", "9223372036854775806", "9223372036854775808",
                        "99999999999999999999", "18446744073709551616", "-9223372036854775808", "1,2",
                        "0000000000000000001", "00000000000000000001", "500", "501", "3600", "3601", "0", "1"),
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().numeric().ofMinLength(15).ofMaxLength(25));
    }

    private static BigInteger[] range(long min, long max) {
        return new BigInteger[] {BigInteger.valueOf(min), BigInteger.valueOf(max)};
    }
}
