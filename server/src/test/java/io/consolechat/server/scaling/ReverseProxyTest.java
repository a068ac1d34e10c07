package io.consolechat.server.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.consolechat.protocol.StreamItem;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.Nginx;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers on one PostgreSQL behind nginx, with the configuration of docs/SCALING.md: streams pass through
 * unbuffered, see every message however it was posted, and the servers see the client's own address.
 */
@ExtendWith(PostgresExtension.class)
class ReverseProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Postgres postgres;

    ReverseProxyTest(Postgres postgres) {
        this.postgres = postgres;
    }

    /** A client whose connections come from {@code address} (any 127.x.y.z is this machine's loopback). */
    private static Api from(Nginx nginx, String address) throws UnknownHostException {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).localAddress(InetAddress.getByName(address)).build();
        return new Api(nginx.uri(), http);
    }

    private static String lines(Api.Stream stream) {
        try {
            return String.join("\n", stream.readToEnd(WAIT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Test
    void streamsPassThroughNginxUnbufferedWithEveryMessageAndTheClientsAddress() throws Exception {
        assumeTrue(Nginx.binary().isPresent(), "nginx is not installed: the reverse-proxy test is skipped "
                + "(.ci/run installs it on Debian)");
        var url = postgres.newDatabase();
        Consumer<ServerConfig> behindProxy = c -> {
            c.storage.database = url;
            c.network.trustProxy = true;
            c.streams.keepalive = Duration.ofMillis(500);
            c.limits.streamsPerAddress = 1;
        };
        try (var first = TestServer.start(behindProxy);
             var second = TestServer.start(behindProxy);
             var nginx = Nginx.start(first.port(), second.port())) {
            var viaProxy = from(nginx, "127.0.0.2");
            var token = viaProxy.anonymousToken();
            try (var stream = viaProxy.stream("/room/proxied?timeout=60", token)) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.nextEvent(WAIT).type()).isEqualTo("join");

                viaProxy.sendMessage("proxied", token, "through nginx");
                var direct = new Api(first);
                direct.sendMessage("proxied", direct.anonymousToken(), "straight to the first");
                var other = new Api(second);
                other.sendMessage("proxied", other.anonymousToken(), "straight to the second");
                var texts = new ArrayList<String>();
                while (texts.size() < 3) {
                    var event = stream.nextEvent(WAIT);
                    if (event.type().equals("message")) {
                        texts.add(event.text());
                    }
                }
                assertThat(texts).containsExactlyInAnyOrder("through nginx", "straight to the first",
                        "straight to the second");

                // Keepalive lines are a few bytes each: buffered, none would arrive for a long while.
                for (int i = 0; i < 3; i++) {
                    assertThat(stream.nextItem(Duration.ofSeconds(3))).isInstanceOf(StreamItem.Keepalive.class);
                }

                // One stream per client address on each server. Whichever server nginx picks, 127.0.0.2
                // soon has its one stream on both and is refused; 127.0.0.3 is another address and is not,
                // which it would be if the servers saw nginx's address instead of the client's.
                var more = new ArrayList<Api.Stream>();
                try {
                    var statuses = new ArrayList<Integer>();
                    for (int i = 0; i < 2; i++) {
                        var again = viaProxy.stream("/room/proxied?timeout=60", token);
                        more.add(again);
                        statuses.add(again.status());
                    }
                    assertThat(statuses).contains(429);
                    var elsewhere = from(nginx, "127.0.0.3");
                    var fromThree = elsewhere.stream("/room/proxied?timeout=60", elsewhere.anonymousToken());
                    more.add(fromThree);
                    assertThat(fromThree.status()).as(() -> statuses + " then " + lines(fromThree)).isEqualTo(200);
                } finally {
                    more.forEach(Api.Stream::close);
                }
            }
        }
    }
}
