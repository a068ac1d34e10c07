package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.UserKind;
import io.consolechat.server.store.AccountStore.Claim;
import io.consolechat.server.store.AccountStore.NewToken;
import io.consolechat.server.store.AccountStore.StoredUser;
import java.time.Duration;
import java.time.Instant;
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
}
