package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.EventType;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.PostgresProxy;
import io.consolechat.server.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers on one PostgreSQL database, and the network path of server B's listening connection goes dead
 * without closing it (a proxy between B and PostgreSQL drops what either side sends): nothing tells B, which
 * only waits for notifications on it. B must find out by itself, within a bounded time, and listen again on
 * a new connection; then it catches up on what A committed meanwhile, so a quiet room's stream on B still
 * gets the message.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SilentListeningConnectionTest {
    private static final String ROOM = "hush";
    private static final Pattern PORT = Pattern.compile("localhost:(\\d+)/");
    private static final Duration SOON = Duration.ofSeconds(10);
    /**
     * A few quiet seconds before the check, its read timeout, a second's pause before connecting again, and
     * room for a slow machine.
     */
    private static final Duration NOTICED = Duration.ofSeconds(25);

    @Test
    void aListeningConnectionThatGoesSilentIsReplacedAndWhatItMissedArrives(Postgres postgres) throws Exception {
        var database = postgres.newDatabase();
        var port = PORT.matcher(database);
        assertThat(port.find()).as(database).isTrue();
        try (var proxy = new PostgresProxy(Integer.parseInt(port.group(1)));
             var a = TestServer.start(c -> c.storage.database = database);
             var b = TestServer.start(c -> c.storage.database = port.replaceFirst("localhost:" + proxy.port() + "/"))) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            var sender = apiA.login("sender", null);
            try (var onB = apiB.stream("/room/" + ROOM + "?timeout=120", apiB.login("reader", null))) {
                assertThat(onB.nextEvent(SOON).kind()).isEqualTo(EventType.JOIN);
                // B listens: A's message reaches it through a notification.
                var heard = apiA.sendMessage(ROOM, sender, "heard");
                assertThat(onB.nextEvent(SOON)).isEqualTo(heard);

                assertThat(proxy.silenceListening()).as("B's listening connections silenced").isEqualTo(1);
                var unheard = apiA.sendMessage(ROOM, sender, "unheard");

                assertThat(onB.nextEvent(NOTICED)).as("the message A stored after B's connection went silent")
                        .isEqualTo(unheard);
                // B listens again: the next message comes as usual, and none comes twice.
                var next = apiA.sendMessage(ROOM, sender, "after");
                assertThat(onB.nextEvent(SOON)).isEqualTo(next);
            }
        }
    }
}
