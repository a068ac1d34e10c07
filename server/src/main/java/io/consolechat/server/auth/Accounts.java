package io.consolechat.server.auth;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.Tokens.TokenResponse;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.ApiException;
import io.consolechat.server.store.Store;
import io.consolechat.server.store.Store.Claim;
import io.consolechat.server.store.Store.NewToken;
import io.consolechat.server.store.Store.StoredUser;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The Init and Login steps: anonymous sessions, temporary names, registered accounts. */
public final class Accounts {
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** Longer passwords are refused before hashing, so nobody can make the server hash megabytes. */
    public static final int MAX_PASSWORD_LENGTH = 1024;
    private static final String ANON_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    /** How long tokens live, by kind of user. */
    public record Lifetimes(Duration anonymous, Duration temporary, Duration registered) {
        public static Lifetimes defaults() {
            return new Lifetimes(Duration.ofHours(24), Duration.ofHours(24), Duration.ofDays(30));
        }

        Duration of(UserKind kind) {
            return switch (kind) {
                case ANONYMOUS -> anonymous;
                case TEMPORARY -> temporary;
                case REGISTERED -> registered;
            };
        }
    }

    private final Store store;
    private final Tokens tokens;
    private final PasswordHasher hasher;
    private final Lifetimes lifetimes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Accounts(Store store, Tokens tokens, PasswordHasher hasher, Lifetimes lifetimes, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.hasher = hasher;
        this.lifetimes = lifetimes;
        this.clock = clock;
    }

    /** A new anonymous user with a generated {@code anon-} name. */
    public TokenResponse anonymous() {
        for (int attempt = 0; attempt < 20; attempt++) {
            var user = newUser(Names.ANONYMOUS_PREFIX + randomSuffix(6 + attempt / 5), UserKind.ANONYMOUS, null);
            var response = claim(user, false);
            if (response != null) {
                return response;
            }
        }
        throw new ApiException(ErrorCode.UNAVAILABLE, "could not find a free anonymous name; try again");
    }

    /** {@code POST /login}: the branches of the API, by which fields are present. */
    public TokenResponse login(String username, String password) {
        if (username == null && password == null) {
            return anonymous();
        }
        if (username == null) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "a password needs a username");
        }
        if (!Names.isValidUserName(username)) {
            throw new ApiException(ErrorCode.INVALID_USERNAME,
                    "user names are 2 to 32 characters of A-Z a-z 0-9 _ - and do not start with anon-");
        }
        return password == null ? temporary(username) : registered(username, password);
    }

    private TokenResponse temporary(String name) {
        var response = claim(newUser(name, UserKind.TEMPORARY, null), false);
        if (response == null) {
            throw invalidCredentials();
        }
        return response;
    }

    private TokenResponse registered(String name, String password) {
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "passwords are at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        var existing = store.userByName(name);
        if (existing.isPresent()) {
            var user = existing.get();
            if (user.kind() == UserKind.REGISTERED) {
                if (!hasher.matches(password, user.passwordHash())) {
                    throw invalidCredentials();
                }
                return issue(user, false);
            }
            if (store.hasLiveToken(user.id(), clock.instant())) {
                throw invalidCredentials();
            }
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new ApiException(ErrorCode.WEAK_PASSWORD,
                    "a new account's password needs at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        var response = claim(newUser(name, UserKind.REGISTERED, hasher.hash(password)), true);
        if (response == null) {
            throw invalidCredentials();
        }
        return response;
    }

    /** Creates the user with a token if the name is free; null if it is taken. */
    private TokenResponse claim(StoredUser user, boolean created) {
        var minted = tokens.mint();
        var token = newToken(minted, user.kind());
        if (store.claimName(user, token) == Claim.TAKEN) {
            return null;
        }
        return new TokenResponse(minted.token(), user.user(), token.expiresAt(), created ? Boolean.TRUE : null);
    }

    private TokenResponse issue(StoredUser user, boolean created) {
        var minted = tokens.mint();
        var token = newToken(minted, user.kind());
        store.insertToken(user.id(), token);
        return new TokenResponse(minted.token(), user.user(), token.expiresAt(), created ? Boolean.TRUE : null);
    }

    private NewToken newToken(Tokens.Minted minted, UserKind kind) {
        var now = clock.instant();
        return new NewToken(minted.hash(), now, now.plus(lifetimes.of(kind)));
    }

    private static StoredUser newUser(String name, UserKind kind, String passwordHash) {
        return new StoredUser(UUID.randomUUID().toString(), name, kind, passwordHash);
    }

    private String randomSuffix(int length) {
        var chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ANON_ALPHABET.charAt(random.nextInt(ANON_ALPHABET.length()));
        }
        return new String(chars);
    }

    private static ApiException invalidCredentials() {
        return new ApiException(ErrorCode.INVALID_CREDENTIALS, "invalid username or password");
    }

    /** Removes lapsed tokens now and then; temporary names held by them are then free again. */
    public int removeExpired() {
        return store.deleteExpiredTokens(Instant.now(clock));
    }
}
