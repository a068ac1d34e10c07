package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.UserKind;
import io.consolechat.server.store.AccountStore.Claim;
import io.consolechat.server.store.AccountStore.NewToken;
import io.consolechat.server.store.AccountStore.StoredUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link AccountStore} must do, whatever the database behind it. */
public abstract class AccountStoreContract {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    /** Opens the store on a fresh database of this test's. */
    protected abstract AccountStore open();

    protected abstract void closeStorage();

    protected AccountStore store;

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void close() {
        closeStorage();
    }

    private static StoredUser user(String name, UserKind kind) {
        return new StoredUser(UUID.randomUUID().toString(), name, kind, kind == UserKind.REGISTERED ? "hash" : null);
    }

    private static NewToken token(String hash, Duration life) {
        return new NewToken(hash, NOW, NOW.plus(life));
    }

    @Test
    void aFreeNameIsClaimedWithItsFirstToken() {
        var alice = user("Alice", UserKind.REGISTERED);
        assertThat(store.claimName(alice, token("t1", Duration.ofDays(1)))).isEqualTo(Claim.CLAIMED);
        assertThat(store.userByName("alice")).contains(alice);
        var owner = store.tokenOwner("t1", NOW).orElseThrow();
        assertThat(owner.user()).isEqualTo(alice);
        assertThat(owner.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
        assertThat(store.hasLiveToken(alice.id(), NOW)).isTrue();
    }

    @Test
    void aRegisteredNameIsNeverClaimedAgain() {
        store.claimName(user("bob", UserKind.REGISTERED), token("t1", Duration.ofDays(1)));
        assertThat(store.claimName(user("BOB", UserKind.TEMPORARY), token("t2", Duration.ofDays(1))))
                .isEqualTo(Claim.TAKEN);
        assertThat(store.tokenOwner("t2", NOW)).isEmpty();
    }

    @Test
    void aTemporaryNameIsHeldWhileItHasALiveToken() {
        var first = user("carol", UserKind.TEMPORARY);
        store.claimName(first, token("t1", Duration.ofHours(1)));
        assertThat(store.claimName(user("carol", UserKind.TEMPORARY), token("t2", Duration.ofHours(1))))
                .isEqualTo(Claim.TAKEN);
        // Once its token lapses, the name is free; the old user and its token are gone.
        var later = new NewToken("t3", NOW.plus(Duration.ofHours(2)), NOW.plus(Duration.ofHours(3)));
        var second = user("carol", UserKind.TEMPORARY);
        assertThat(store.claimName(second, later)).isEqualTo(Claim.CLAIMED);
        assertThat(store.userByName("carol")).contains(second);
        assertThat(store.tokenOwner("t1", NOW)).isEmpty();
    }

    @Test
    void tokensAreCheckedForExpiryAndCanBeRevoked() {
        var dave = user("dave", UserKind.REGISTERED);
        store.claimName(dave, token("t1", Duration.ofHours(1)));
        store.insertToken(dave.id(), token("t2", Duration.ofHours(2)));
        assertThat(store.tokenOwner("t1", NOW.plus(Duration.ofHours(1)))).isEmpty();
        assertThat(store.tokenOwner("t2", NOW.plus(Duration.ofHours(1)))).isPresent();
        assertThat(store.deleteToken("t2")).isTrue();
        assertThat(store.deleteToken("t2")).isFalse();
        assertThat(store.tokenOwner("t2", NOW)).isEmpty();
        assertThat(store.tokenOwner("unknown", NOW)).isEmpty();
    }

    @Test
    void existingTokensAreTheStoredOnesAmongThoseAskedFor() {
        var ivy = user("ivy", UserKind.REGISTERED);
        store.claimName(ivy, token("i1", Duration.ofHours(1)));
        store.insertToken(ivy.id(), token("i2", Duration.ofHours(1)));
        store.insertToken(ivy.id(), token("i3", Duration.ofHours(1)));
        store.deleteToken("i2");
        assertThat(store.existingTokens(List.of("i1", "i2", "i3", "unknown"))).containsExactlyInAnyOrder("i1", "i3");
        assertThat(store.existingTokens(List.of())).isEmpty();
        // More than one query's worth of hashes.
        var many = new ArrayList<String>();
        for (int i = 0; i < 1_200; i++) {
            many.add("x" + i);
        }
        many.add(600, "i3");
        assertThat(store.existingTokens(many)).containsExactly("i3");
    }

    @Test
    void expiredTokensGoAndTakeTheirGuestUsersWithThem() {
        var guest = user("anon-abcdef", UserKind.ANONYMOUS);
        var member = user("erin", UserKind.REGISTERED);
        store.claimName(guest, token("g", Duration.ofHours(1)));
        store.claimName(member, token("m", Duration.ofHours(1)));
        store.insertToken(member.id(), token("m2", Duration.ofDays(1)));
        assertThat(store.deleteExpiredTokens(NOW.plus(Duration.ofHours(2)))).isEqualTo(2);
        assertThat(store.userByName("anon-abcdef")).isEmpty();
        assertThat(store.userByName("erin")).contains(member);
        assertThat(store.hasLiveToken(member.id(), NOW.plus(Duration.ofHours(2)))).isTrue();
    }

    @Test
    void adminsAreGrantedAndRevokedByName() {
        store.claimName(user("Frank", UserKind.REGISTERED), token("f", Duration.ofDays(1)));
        assertThat(store.isAdmin("frank")).isFalse();
        assertThat(store.setAdmin("FRANK", true)).isTrue();
        assertThat(store.isAdmin("frank")).isTrue();
        assertThat(store.users()).singleElement().satisfies(row -> {
            assertThat(row.admin()).isTrue();
            assertThat(row.user().name()).isEqualTo("Frank");
            assertThat(row.createdAt()).isEqualTo(NOW);
            assertThat(row.lastSeen()).isEqualTo(NOW);
            assertThat(row.bannedUntil()).isNull();
        });
        assertThat(store.setAdmin("frank", false)).isTrue();
        assertThat(store.isAdmin("frank")).isFalse();
        assertThat(store.setAdmin("nobody", true)).isFalse();
        assertThat(store.isAdmin("nobody")).isFalse();
    }

    @Test
    void aServerBanRemovesTheTokensAndLastsUntilItEndsOrIsLifted() {
        var gina = user("gina", UserKind.REGISTERED);
        store.claimName(gina, token("g1", Duration.ofDays(1)));
        var until = NOW.plus(Duration.ofHours(1));
        assertThat(store.banUser("gina", until, "spam")).isTrue();
        assertThat(store.tokenOwner("g1", NOW)).isEmpty();
        assertThat(store.bannedUntil("gina", NOW)).contains(until);
        assertThat(store.bannedUsers(NOW)).containsExactly("gina");
        assertThat(store.bannedUntil("gina", until)).isEmpty();
        assertThat(store.bannedUsers(until)).isEmpty();
        assertThat(store.banUser("gina", Instant.MAX, null)).isTrue();
        assertThat(store.bannedUntil("gina", NOW.plus(Duration.ofDays(10_000)))).contains(Instant.MAX);
        assertThat(store.users().getFirst().bannedUntil()).isEqualTo(Instant.MAX);
        assertThat(store.unbanUser("gina")).isTrue();
        assertThat(store.unbanUser("gina")).isFalse();
        assertThat(store.bannedUntil("gina", NOW)).isEmpty();
        assertThat(store.banUser("nobody", Instant.MAX, null)).isFalse();
    }

    @Test
    void deletingAUserRemovesItAndItsTokens() {
        var hank = user("hank", UserKind.REGISTERED);
        store.claimName(hank, token("h1", Duration.ofDays(1)));
        assertThat(store.deleteUser("HANK")).isTrue();
        assertThat(store.userByName("hank")).isEmpty();
        assertThat(store.tokenOwner("h1", NOW)).isEmpty();
        assertThat(store.deleteUser("hank")).isFalse();
        assertThat(store.claimName(user("hank", UserKind.REGISTERED), token("h2", Duration.ofDays(1))))
                .isEqualTo(Claim.CLAIMED);
    }
}
