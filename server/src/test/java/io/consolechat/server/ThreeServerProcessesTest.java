package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.StreamItem;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.ServerProcess;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL and three server processes: 60 listeners and 10 senders spread over them, 1,000 messages. One
 * server is killed (SIGKILL) mid-run: its listeners reconnect to the others with {@code since} and still get
 * every message once, in order, with no gap in the sequence; every message acknowledged with 201 is stored
 * exactly once (senders retry on another server with the same Idempotency-Key); and the users who were
 * only on the killed server get their leave events from the survivors.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ThreeServerProcessesTest {
    private static final String ROOM = "crowd";
    private static final int SERVERS = 3;
    private static final int LISTENERS = 60;
    private static final int SENDERS = 10;
    private static final int PER_SENDER = 100;
    private static final int BYSTANDERS = 5;
    private static final int KILL_AFTER = 300;
    private static final Duration GRACE = Duration.ofMillis(500);
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** One listener's view: every event it received, across its reconnections. */
    private static final class Listener {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final AtomicLong since = new AtomicLong();
        final AtomicInteger reconnects = new AtomicInteger();
    }

    @Test
    void listenersOfAKilledServerMissNothingAndItsUsersLeave(Postgres postgres, @TempDir Path dir) throws Exception {
        var database = postgres.newDatabase();
        var servers = new ArrayList<ServerProcess>();
        var threads = Executors.newVirtualThreadPerTaskExecutor();
        var done = new CountDownLatch(1);
        try {
            var starting = new ArrayList<Future<ServerProcess>>();
            for (int i = 0; i < SERVERS; i++) {
                var data = Files.createDirectories(dir.resolve("server" + i));
                var log = dir.resolve("server" + i + ".log");
                starting.add(threads.submit(() -> ServerProcess.start(data, database, GRACE, LEASE, log)));
            }
            for (var server : starting) {
                servers.add(server.get(2, TimeUnit.MINUTES));
            }
            var apis = servers.stream().map(s -> new Api(s.uri())).toList();
            var alive = ConcurrentHashMap.<Integer>newKeySet();
            for (int i = 0; i < SERVERS; i++) {
                alive.add(i);
            }

            // The listeners, a third on each server; each reconnects, to the next live server, with its cursor.
            var listeners = new ArrayList<Listener>();
            for (int l = 0; l < LISTENERS; l++) {
                var listener = new Listener();
                listeners.add(listener);
                var token = apis.get(l % SERVERS).anonymousToken();
                int home = l % SERVERS;
                threads.submit(() -> listen(apis, alive, home, token, listener, done));
            }
            // Users who stream on the doomed server only, and never come back.
            var bystanders = new HashSet<String>();
            var bystanderStreams = new ArrayList<Api.Stream>();
            for (int b = 0; b < BYSTANDERS; b++) {
                var token = apis.get(0).anonymousToken();
                bystanders.add(apis.get(0).get("/me", token).user().name());
                bystanderStreams.add(apis.get(0).stream("/room/" + ROOM + "?history=0&timeout=600", token));
            }
            await("every listener streaming").atMost(DEADLINE)
                    .until(() -> listeners.stream().allMatch(l -> joinsSeen(l) >= 1));

            var acked = ConcurrentHashMap.<Long>newKeySet();
            var sent = new AtomicInteger();
            var senders = new ArrayList<Future<?>>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                var token = apis.get(s % SERVERS).anonymousToken();
                senders.add(threads.submit(() -> {
                    for (int i = 0; i < PER_SENDER; i++) {
                        acked.add(post(apis, alive, sender + i, token, sender + ":" + i));
                        sent.incrementAndGet();
                    }
                    return null;
                }));
            }
            await("the first messages sent").atMost(DEADLINE).until(() -> sent.get() >= KILL_AFTER);
            alive.remove(0);
            servers.get(0).kill();
            var killedAt = java.time.Instant.now();
            bystanderStreams.forEach(Api.Stream::close);

            for (var sender : senders) {
                sender.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(acked).hasSize(SENDERS * PER_SENDER);
            long last = acked.stream().mapToLong(Long::longValue).max().orElseThrow();
            await("every listener caught up").atMost(DEADLINE)
                    .until(() -> listeners.stream().allMatch(l -> l.since.get() >= last));

            // Every acknowledged message stored once: as many stored messages as 201s, each text once.
            var stored = allEvents(apis.get(1));
            var storedMessages = stored.stream().filter(e -> e.kind() == EventType.MESSAGE).toList();
            assertThat(storedMessages.stream().map(Event::seq).collect(Collectors.toSet())).isEqualTo(acked);
            assertThat(storedMessages.stream().map(Event::text).distinct().count()).isEqualTo(SENDERS * PER_SENDER);

            // Every listener: each message once, in order, and no gap in the room's sequence from its start.
            var messageSeqs = storedMessages.stream().map(Event::seq).sorted().toList();
            int reconnected = 0;
            for (var listener : listeners) {
                var seqs = listener.events.stream().map(Event::seq).toList();
                assertThat(seqs).isSorted().doesNotHaveDuplicates();
                assertThat(seqs.getLast() - seqs.getFirst() + 1).isEqualTo(seqs.size());
                assertThat(listener.events.stream().filter(e -> e.kind() == EventType.MESSAGE).map(Event::seq))
                        .containsExactlyElementsOf(messageSeqs);
                reconnected += listener.reconnects.get() > 0 ? 1 : 0;
            }
            assertThat(reconnected).isGreaterThanOrEqualTo(LISTENERS / SERVERS);

            // The killed server's users who did not come back leave, written by a survivor.
            await("the bystanders' leave events").atMost(DEADLINE).until(() -> leftUsers(apis.get(2)).containsAll(bystanders));
            // Written within the grace period, the lease, and a heartbeat's and a search's period (a third each).
            assertThat(allEvents(apis.get(2))).filteredOn(e -> e.kind() == EventType.LEAVE
                            && bystanders.contains(e.from().name()))
                    .hasSize(BYSTANDERS)
                    .allSatisfy(leave -> assertThat(leave.at()).isBefore(killedAt.plus(GRACE).plus(LEASE.multipliedBy(2))));
            var members = apis.get(1).get("/room/" + ROOM + "/members?limit=500", apis.get(1).anonymousToken());
            assertThat(members.users()).noneMatch(u -> bystanders.contains(u.name()));
            assertThat(members.users()).hasSizeGreaterThanOrEqualTo(LISTENERS);
        } finally {
            done.countDown();
            threads.shutdownNow();
            servers.forEach(ServerProcess::close);
        }
    }

    private static long joinsSeen(Listener listener) {
        return listener.events.stream().filter(e -> e.kind() == EventType.JOIN).count();
    }

    /** The room's whole history, read backwards a page at a time. */
    private static List<Event> allEvents(Api api) {
        var token = api.anonymousToken();
        var events = new ArrayList<Event>();
        var page = api.get("/room/" + ROOM + "/messages?limit=500", token).events();
        while (!page.isEmpty()) {
            events.addAll(0, page);
            page = api.get("/room/" + ROOM + "/messages?limit=500&before=" + page.getFirst().seq(), token).events();
        }
        return events;
    }

    private static Set<String> leftUsers(Api api) {
        return allEvents(api).stream()
                .filter(e -> e.kind() == EventType.LEAVE).map(e -> e.from().name()).collect(Collectors.toSet());
    }

    /** Reads the room from {@code since} on, reconnecting to a live server whenever the stream ends. */
    private static void listen(List<Api> apis, Set<Integer> alive, int home, String token, Listener listener,
                               CountDownLatch done) {
        int server = home;
        boolean first = true;
        while (done.getCount() > 0) {
            if (!alive.contains(server)) {
                server = (server + 1) % apis.size();
                continue;
            }
            var query = first ? "?since=0&timeout=120" : "?since=" + listener.since.get() + "&timeout=120";
            try (var stream = apis.get(server).stream("/room/" + ROOM + query, token)) {
                if (!first) {
                    listener.reconnects.incrementAndGet();
                }
                first = false;
                String line;
                while ((line = stream.nextLine(DEADLINE)) != null) {
                    if (Api.item(line) instanceof Event event) {
                        listener.events.add(event);
                        listener.since.set(event.seq());
                    }
                }
            } catch (UncheckedIOException | AssertionError e) {
                // The server is gone or silent: the next one takes over from the cursor.
                server = (server + 1) % apis.size();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Posts, retrying on another live server with the same key until one answers 201; returns the seq. */
    private static long post(List<Api> apis, Set<Integer> alive, int start, String token, String text) {
        var key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (int attempt = start; System.nanoTime() < deadline; attempt++) {
            int server = attempt % apis.size();
            if (!alive.contains(server) && attempt - start < apis.size()) {
                continue;
            }
            var api = apis.get(server);
            try {
                var reply = api.send(api.request("/room/" + ROOM, token).header("Content-Type", "text/plain")
                        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(text)).build());
                if (reply.status() == 201) {
                    return reply.event().seq();
                }
            } catch (UncheckedIOException e) {
                // Killed mid-request: whether it was stored, the retry with the same key says.
            }
        }
        throw new AssertionError("no server stored " + text);
    }
}
