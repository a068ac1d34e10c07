package io.consolechat.server;

import io.consolechat.server.auth.LoginThrottle;
import java.time.Duration;

/**
 * How much one user or one client address may ask of the server. {@link #defaults()} gives the documented
 * defaults (docs/SECURITY.md); the command line changes single fields with the {@code with...} methods.
 *
 * @param send              messages per user
 * @param tokens            logins and new sessions (each mints a token) per client address
 * @param addressLogins     failed password logins per client address
 * @param accountLogins     failed password logins per account, from any address
 * @param streamsPerUser    open streams one user may hold
 * @param streamsPerAddress open streams one client address may hold
 * @param idleTimeout       a connection with no traffic either way for this long is closed
 * @param headerTimeout     a request whose headers take longer than this to arrive is dropped
 * @param maxHeaderBytes    request line plus headers; past it 414 (request line) or 431 (headers)
 * @param trustProxy        take the client address from the last {@code X-Forwarded-For} entry
 */
public record Limits(
        Rate send,
        Rate tokens,
        LoginThrottle.Policy addressLogins,
        LoginThrottle.Policy accountLogins,
        int streamsPerUser,
        int streamsPerAddress,
        Duration idleTimeout,
        Duration headerTimeout,
        int maxHeaderBytes,
        boolean trustProxy) {

    /** A token bucket: {@code burst} at once, refilled at {@code refill} per {@code period}. */
    public record Rate(int burst, int refill, Duration period) {
        public Rate {
            if (burst < 1 || refill < 1 || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("a rate needs a burst and refill of at least 1 and a period");
            }
        }

        public static Rate perSecond(int refill, int burst) {
            return new Rate(burst, refill, Duration.ofSeconds(1));
        }

        public static Rate perMinute(int refill) {
            return new Rate(refill, refill, Duration.ofMinutes(1));
        }
    }

    public static Limits defaults() {
        return new Limits(
                Rate.perSecond(10, 30),
                Rate.perMinute(30),
                new LoginThrottle.Policy(3, Duration.ofSeconds(1), Duration.ofMinutes(1), 10, Duration.ofMinutes(15)),
                new LoginThrottle.Policy(20, Duration.ofSeconds(1), Duration.ofMinutes(1), 100, Duration.ofMinutes(15)),
                20,
                200,
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                8 * 1024,
                false);
    }

    public Limits withSend(Rate send) {
        return new Limits(send, tokens, addressLogins, accountLogins, streamsPerUser, streamsPerAddress,
                idleTimeout, headerTimeout, maxHeaderBytes, trustProxy);
    }

    public Limits withTokens(Rate tokens) {
        return new Limits(send, tokens, addressLogins, accountLogins, streamsPerUser, streamsPerAddress,
                idleTimeout, headerTimeout, maxHeaderBytes, trustProxy);
    }

    public Limits withAddressLogins(LoginThrottle.Policy addressLogins) {
        return new Limits(send, tokens, addressLogins, accountLogins, streamsPerUser, streamsPerAddress,
                idleTimeout, headerTimeout, maxHeaderBytes, trustProxy);
    }

    public Limits withAccountLogins(LoginThrottle.Policy accountLogins) {
        return new Limits(send, tokens, addressLogins, accountLogins, streamsPerUser, streamsPerAddress,
                idleTimeout, headerTimeout, maxHeaderBytes, trustProxy);
    }

    public Limits withStreams(int streamsPerUser, int streamsPerAddress) {
        return new Limits(send, tokens, addressLogins, accountLogins, streamsPerUser, streamsPerAddress,
                idleTimeout, headerTimeout, maxHeaderBytes, trustProxy);
    }

    public Limits withIdleTimeout(Duration idleTimeout) {
        return new Limits(send, tokens, addressLogins, accountLogins, streamsPerUser, streamsPerAddress,
                idleTimeout, headerTimeout, maxHeaderBytes, trustProxy);
    }

    public Limits withHeaderTimeout(Duration headerTimeout) {
        return new Limits(send, tokens, addressLogins, accountLogins, streamsPerUser, streamsPerAddress,
                idleTimeout, headerTimeout, maxHeaderBytes, trustProxy);
    }

    public Limits withMaxHeaderBytes(int maxHeaderBytes) {
        return new Limits(send, tokens, addressLogins, accountLogins, streamsPerUser, streamsPerAddress,
                idleTimeout, headerTimeout, maxHeaderBytes, trustProxy);
    }

    public Limits withTrustProxy(boolean trustProxy) {
        return new Limits(send, tokens, addressLogins, accountLogins, streamsPerUser, streamsPerAddress,
                idleTimeout, headerTimeout, maxHeaderBytes, trustProxy);
    }
}
