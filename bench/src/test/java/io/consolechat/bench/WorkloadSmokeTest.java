package io.consolechat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each workload in miniature against a real server: it runs, sends, and every delivery checks out. */
class WorkloadSmokeTest {
    private static TestServer server;
    private static CommonOptions options;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        options = new CommonOptions();
        options.server = java.util.List.of(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Result only(Workload workload) throws Exception {
        var results = Bench.run(options, java.util.List.of(workload));
        assertThat(results).hasSize(1);
        return results.getFirst();
    }

    @Test
    void fanoutDeliversEveryMessageToEveryListenerOnceAndInOrder() throws Exception {
        var fanout = new Fanout();
        fanout.listeners = 5;
        fanout.rate = 20;
        fanout.duration = 2;
        fanout.warmup = 1;
        var result = only(fanout);

        long confirmed = (long) result.figures().get("messagesConfirmed");
        assertThat(confirmed).isEqualTo(40);
        assertThat(result.correctness()).isEqualTo(new Result.Correctness(5 * confirmed, 0, 0, 0));
        assertThat(result.latency().count()).isEqualTo(5 * confirmed);
        assertThat(result.server()).as("an external server is not measured").isNull();
    }

    @Test
    void idleStreamsAllReceiveEachMessage() throws Exception {
        var idle = new Idle();
        idle.streams = 5;
        idle.streamsPerUser = 2;
        idle.hold = 0;
        idle.messages = 2;
        idle.warmupMessages = 3;
        var result = only(idle);

        assertThat(result.figures().get("warmupMessagesRead")).as("each warm-up message reached every stream")
                .isEqualTo(3);
        // The warm-up's messages are read but neither counted nor timed.
        assertThat(result.correctness()).isEqualTo(new Result.Correctness(10, 0, 0, 0));
        assertThat(result.latency().count()).isEqualTo(10);
        assertThat(result.targets()).filteredOn(t -> t.target().startsWith("0 lost")).hasSize(1)
                .allMatch(Result.Target::met);
    }

    @Test
    void idleStreamsThatRepollKeepEveryMessage() throws Exception {
        var idle = new Idle();
        idle.streams = 3;
        idle.pollTimeout = 1;
        idle.hold = 2;
        idle.messages = 2;
        var result = only(idle);

        assertThat((long) result.figures().get("repolls")).isGreaterThanOrEqualTo(3);
        assertThat(result.correctness()).isEqualTo(new Result.Correctness(6, 0, 0, 0));
    }

    @Test
    void clientsInManyRoomsSeeEveryMessageWithEitherKindOfStream() throws Exception {
        for (var mode : ManyRooms.Mode.values()) {
            var rooms = new ManyRooms();
            rooms.mode = mode;
            rooms.clients = 3;
            rooms.rooms = 4;
            rooms.hold = 0;
            rooms.rate = 10;
            rooms.duration = 1;
            var result = only(rooms);

            assertThat(result.figures().get("connections")).isEqualTo(mode == ManyRooms.Mode.SINGLE ? 12 : 3);
            assertThat(result.figures().get("messagesSent")).isEqualTo(10L);
            assertThat(result.figures().get("deliveriesSeen")).isEqualTo(30L);
        }
    }

    @Test
    void ingestConfirmsMessagesAndTheListenerGetsThemAll() throws Exception {
        var ingest = new Ingest();
        ingest.senders = 2;
        ingest.duration = 1;
        ingest.warmup = 1;
        var result = only(ingest);

        long confirmed = (long) result.figures().get("messagesConfirmed");
        assertThat(confirmed).isPositive();
        assertThat(result.figures().get("messagesFailed")).isEqualTo(0L);
        assertThat(result.correctness()).isEqualTo(new Result.Correctness(confirmed, 0, 0, 0));
    }

    @Test
    void loginCountsSessionsAndRegisteredLogins() throws Exception {
        var login = new Login();
        login.clients = 1;
        login.duration = 1;
        login.accounts = 1;
        var results = Bench.run(options, java.util.List.of(login));

        assertThat(results).extracting(Result::workload).containsExactly("login-anonymous", "login-registered");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.latency().count()).isPositive();
            assertThat(r.targets()).allMatch(Result.Target::met);
        });
    }
}
