package io.consolechat.server.auth;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.Tokens.TokenResponse;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.error.Refused;
import io.consolechat.server.store.AccountStore;
import io.consolechat.server.store.AccountStore.Claim;
import io.consolechat.server.store.AccountStore.NewToken;
import io.consolechat.server.store.AccountStore.StoredUser;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** The Init and Login steps: anonymous sessions, temporary names, registered accounts. */
public final class Accounts {
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** Longer passwords are refused before hashing, so nobody can make the server hash megabytes. */
    public static final int MAX_PASSWORD_LENGTH = 1024;
    private static final String ANON_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    private final AccountStore store;
    private final BearerTokens tokens;
    private final PasswordHasher hasher;
    private final ServerConfig.TokenLifetimes lifetimes;
    private final LoginThrottle throttle;
    private final java.util.Optional<io.consolechat.server.store.LoginFailureStore> sharedFailures;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Accounts(AccountStore store, BearerTokens tokens, PasswordHasher hasher,
                    ServerConfig.TokenLifetimes lifetimes, ServerConfig.Limits limits, Clock clock) {
        this(store, tokens, hasher, lifetimes, limits, java.util.Optional.empty(), clock);
    }

    /** {@code sharedFailures}: where failed logins are counted when other servers share the database. */
    public Accounts(AccountStore store, BearerTokens tokens, PasswordHasher hasher,
                    ServerConfig.TokenLifetimes lifetimes, ServerConfig.Limits limits,
                    java.util.Optional<io.consolechat.server.store.LoginFailureStore> sharedFailures, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.hasher = hasher;
        this.lifetimes = lifetimes;
        this.throttle = new LoginThrottle(limits.addressLogins, limits.accountLogins, sharedFailures, clock);
        this.sharedFailures = sharedFailures;
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
        throw new Refused(ErrorCode.UNAVAILABLE, "could not find a free anonymous name; try again");
    }

    /**
     * {@code POST /login} from a client {@code address}: the branches of the API, by which fields are present.
     * Every login with a password is under the guessing limits: a locked address or account is refused before
     * anything is hashed, and every refusal counts as a failed try, whatever its reason (a wrong password, a
     * held name, a weak or malformed password), so probing the ways a login can fail is slowed down like
     * guessing. Success clears the account's failures but not the address's, so logging in to one's own
     * account cannot reset the count of guesses made at others.
     */
    public TokenResponse login(String username, String password, String address) {
        if (password == null) {
            return login(username, null);
        }
        var account = username != null && Names.isValidUserName(username) ? username : null;
        throttle.check(address, account);
        try {
            var response = login(username, password);
            throttle.succeeded(account);
            return response;
        } catch (Refused e) {
            // A busy server is not a failed try; everything else the login refuses is.
            if (e.code() != ErrorCode.UNAVAILABLE) {
                throttle.failed(address, account);
            }
            throw e;
        }
    }

    private TokenResponse login(String username, String password) {
        if (username == null && password == null) {
            return anonymous();
        }
        if (username == null) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "a password needs a username");
        }
        if (!Names.isValidUserName(username)) {
            throw new Refused(ErrorCode.INVALID_USERNAME,
                    "user names are 2 to 32 characters of A-Z a-z 0-9 _ - and do not start with anon-");
        }
        return password == null ? temporary(username) : registered(username, password);
    }

    private TokenResponse temporary(String name) {
        checkNotBanned(name);
        var response = claim(newUser(name, UserKind.TEMPORARY, null), false);
        if (response == null) {
            throw invalidCredentials();
        }
        return response;
    }

    private TokenResponse registered(String name, String password) {
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "passwords are at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        if (!PasswordHasher.isWellFormed(password)) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "the password is not valid Unicode (it holds a lone surrogate)");
        }
        var existing = store.userByName(name);
        if (existing.isPresent()) {
            var user = existing.get();
            if (user.kind() == UserKind.REGISTERED) {
                if (!hasher.matches(password, user.passwordHash())) {
                    throw invalidCredentials();
                }
                // Only after the password: the ban is nobody else's business.
                checkNotBanned(name);
                return issue(user, false);
            }
            if (store.hasLiveToken(user.id(), clock.instant())) {
                throw invalidCredentials();
            }
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new Refused(ErrorCode.WEAK_PASSWORD,
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

    private NewToken newToken(BearerTokens.Minted minted, UserKind kind) {
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

    /** A user banned from the server (by {@code console-chat admin ban}) gets no token. */
    private void checkNotBanned(String name) {
        store.bannedUntil(name, clock.instant()).ifPresent(until -> {
            throw new Refused(ErrorCode.BANNED, until.equals(Instant.MAX) ? "you are banned from this server"
                    : "you are banned from this server until " + until);
        });
    }

    private static Refused invalidCredentials() {
        return new Refused(ErrorCode.INVALID_CREDENTIALS, "invalid username or password");
    }

    /** Removes lapsed tokens now and then; temporary names held by them are then free again. */
    public int removeExpired() {
        sharedFailures.ifPresent(failures -> failures.forgetOld(Instant.now(clock)));
        return store.deleteExpiredTokens(Instant.now(clock));
    }
}
