package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.store.TicketStore.Issued;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TicketStore} must do, whatever the database behind it. */
public abstract class TicketStoreContract {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration LIFETIME = Duration.ofSeconds(60);

    /** Opens the store on a fresh database of this test's. */
    protected abstract TicketStore open();

    protected abstract void closeStorage();

    private TicketStore store;

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void close() {
        closeStorage();
    }

    /** A SHA-256 as the store is given it: 64 hex digits. */
    private static String hash() {
        var bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Issued issuedTo(String name, UserKind kind, Instant expiresAt) {
        return new Issued(UUID.randomUUID().toString(), new User(name, kind), hash(), expiresAt);
    }

    @Test
    void aTicketIsRedeemedOnceForTheSessionItWasIssuedTo() {
        var ticket = hash();
        var issued = issuedTo("Alice", UserKind.REGISTERED, NOW.plus(LIFETIME));
        store.issue(ticket, issued);
        assertThat(store.redeem(ticket, NOW)).contains(issued);
        assertThat(store.redeem(ticket, NOW)).isEmpty();
    }

    @Test
    void eachTicketIsItsOwn() {
        var first = hash();
        var second = hash();
        var toAnon = issuedTo("anon-7", UserKind.ANONYMOUS, NOW.plus(LIFETIME));
        var toTemp = issuedTo("sam", UserKind.TEMPORARY, NOW.plus(LIFETIME));
        store.issue(first, toAnon);
        store.issue(second, toTemp);
        assertThat(store.redeem(second, NOW)).contains(toTemp);
        assertThat(store.redeem(first, NOW)).contains(toAnon);
    }

    @Test
    void anUnknownTicketIsRefused() {
        assertThat(store.redeem(hash(), NOW)).isEmpty();
    }

    @Test
    void anExpiredTicketIsRefusedAndUsedUp() {
        var expiry = NOW.plus(LIFETIME);
        var lastMoment = hash();
        var issued = issuedTo("bob", UserKind.REGISTERED, expiry);
        store.issue(lastMoment, issued);
        assertThat(store.redeem(lastMoment, expiry.minusMillis(1))).contains(issued);

        var late = hash();
        store.issue(late, issuedTo("bob", UserKind.REGISTERED, expiry));
        assertThat(store.redeem(late, expiry)).isEmpty();
        // The refusal used it up: even an earlier time finds nothing left.
        assertThat(store.redeem(late, NOW)).isEmpty();
    }

    @Test
    void expiredTicketsAreDeletedAndLiveOnesKept() {
        var early = hash();
        var late = hash();
        var live = hash();
        store.issue(early, issuedTo("carol", UserKind.REGISTERED, NOW.plusSeconds(10)));
        store.issue(late, issuedTo("carol", UserKind.REGISTERED, NOW.plusSeconds(20)));
        var stillGood = issuedTo("carol", UserKind.REGISTERED, NOW.plusSeconds(21));
        store.issue(live, stillGood);
        assertThat(store.deleteExpired(NOW)).isZero();
        assertThat(store.deleteExpired(NOW.plusSeconds(20))).isEqualTo(2);
        assertThat(store.deleteExpired(NOW.plusSeconds(20))).isZero();
        assertThat(store.redeem(live, NOW.plusSeconds(20))).contains(stillGood);
        // The redeemed one left no row behind.
        assertThat(store.deleteExpired(NOW.plus(Duration.ofDays(1)))).isZero();
    }

    /**
     * Redemptions that race each other: exactly one gets the ticket. SQLite runs one write transaction at a
     * time; PostgreSQL runs them together, where a read followed by a delete would hand the ticket out twice.
     */
    @Test
    void ofRedemptionsAtOnceExactlyOneGetsTheTicket() throws Exception {
        for (int round = 0; round < 20; round++) {
            var ticket = hash();
            var issued = issuedTo("dave", UserKind.REGISTERED, NOW.plus(LIFETIME));
            store.issue(ticket, issued);
            var results = new ArrayList<Future<Optional<Issued>>>();
            try (var threads = Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < 4; i++) {
                    results.add(threads.submit((Callable<Optional<Issued>>) () -> store.redeem(ticket, NOW)));
                }
            }
            var winners = new ArrayList<Issued>();
            for (var result : results) {
                result.get().ifPresent(winners::add);
            }
            assertThat(winners).as("round %d", round).containsExactly(issued);
        }
    }
}
