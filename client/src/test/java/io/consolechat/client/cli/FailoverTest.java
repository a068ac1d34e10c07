package io.consolechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consolechat.client.ChatClient;
import io.consolechat.client.ServerAddress;
import io.consolechat.client.Unreachable;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Json;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several server URLs: the client moves to the next server when one goes away, and loses nothing. */
@ExtendWith(PostgresExtension.class)
class FailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Postgres postgres;
    private final Json json = new Json();

    FailoverTest(Postgres postgres) {
        this.postgres = postgres;
    }

    private List<Event> messages(StringWriter out) throws IOException {
        var events = new ArrayList<Event>();
        for (var line : out.toString().lines().toList()) {
            var event = json.read(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), Event.class);
            if (event.kind() == EventType.MESSAGE) {
                events.add(event);
            }
        }
        return events;
    }

    @Test
    void listenWithTwoServersKeepsGoingWithoutLossWhenTheFirstStops() throws Exception {
        var url = postgres.newDatabase();
        try (var first = TestServer.start(c -> c.storage.database = url);
             var second = TestServer.start(c -> c.storage.database = url)) {
            var environment = Map.of(
                    "CONSOLE_CHAT_SERVER", first.uri() + "," + second.uri(),
                    "XDG_CONFIG_HOME", Files.createTempDirectory("console-chat-config").toString());
            var out = new StringWriter();
            var listen = Thread.ofPlatform().start(() ->
                    CommandRun.of(environment, "", out, "listen", "relay", "--json", "--since", "0"));
            try {
                var sender = new Api(second);
                var token = sender.anonymousToken();
                for (int i = 1; i <= 10; i++) {
                    sender.sendMessage("relay", token, "m" + i);
                }
                await().atMost(WAIT).until(() -> messages(out).size() == 10);

                first.stop();
                // Posted while the listener finds its way to the second server: the cursor brings them.
                for (int i = 11; i <= 20; i++) {
                    sender.sendMessage("relay", token, "m" + i);
                }
                await().atMost(WAIT).until(() -> messages(out).size() >= 20);
                for (int i = 21; i <= 25; i++) {
                    sender.sendMessage("relay", token, "m" + i);
                }
                await().atMost(WAIT).until(() -> messages(out).size() >= 25);

                var received = messages(out);
                assertThat(received).extracting(Event::text)
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, 25).mapToObj(i -> "m" + i).toList());
                assertThat(received).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
            } finally {
                listen.interrupt();
                listen.join(WAIT.toMillis());
            }
        }
    }

    @Test
    void aClientGoesOnToTheNextServerWhenTheFirstRefusesConnections() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var server = TestServer.start()) {
            var client = ChatClient.create(
                    ServerAddress.parse("127.0.0.1:" + closedPort + "," + server.uri()), false);
            var token = client.session().token();
            assertThat(client.me(token).name()).startsWith("anon-");
            assertThat(client.server().toString()).isEqualTo("http://127.0.0.1:" + closedPort + "," + server.uri());
        }
        var nowhere = ChatClient.create(ServerAddress.parse("127.0.0.1:" + closedPort), false);
        assertThatThrownBy(nowhere::session).isInstanceOf(Unreachable.class).hasMessageContaining("connection refused");
    }

    @Test
    void everyUrlOfTheListIsChecked() {
        assertThat(ServerAddress.parse("a:1, https://b/chat").bases()).extracting(Object::toString)
                .containsExactly("http://a:1/", "https://b/chat/");
        assertThatThrownBy(() -> ServerAddress.parse("a:1,,b:2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerAddress.parse("a:1,ftp://b")).isInstanceOf(IllegalArgumentException.class);
    }
}
