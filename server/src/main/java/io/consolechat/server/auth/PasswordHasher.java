package io.consolechat.server.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.server.error.Refused;
import java.text.Normalizer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Argon2id with OWASP's recommended parameters (19 MiB of memory, 2 iterations, 1 lane). The parameters
 * are stored in each hash, so they can be raised later without breaking existing accounts.
 *
 * <p>Passwords are normalised to Unicode NFC before hashing and checking (as RFC 8265's OpaqueString
 * profile does), so that a composed and a decomposed "é" are the same password whichever keyboard or
 * system typed it.
 */
public final class PasswordHasher implements AutoCloseable {
    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int HASH_BYTES = 32;

    private final Argon2Function argon2 = Argon2Function.getInstance(
            MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES, Argon2.ID, Argon2Function.ARGON2_VERSION_13);
    private final ThreadPoolExecutor pool;

    /**
     * Hashing runs on {@code threads} threads of its own with at most {@code queue} hashes waiting, so that
     * logins can neither take every core from the other requests nor pile up 19 MiB each in memory; past
     * that, a login is refused with 503 and {@code Retry-After}.
     */
    public PasswordHasher(int threads, int queue) {
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                Thread.ofPlatform().name("password-hash-", 0).daemon(true).factory(),
                new ThreadPoolExecutor.AbortPolicy());
    }

    public String hash(String password) {
        return onPool(() -> Password.hash(normalize(password)).addRandomSalt(16).with(argon2).getResult());
    }

    /**
     * Whether the password is the one hashed. An account made before passwords were normalised holds the hash
     * of the password as typed, so that is tried too when normalising changes it.
     */
    public boolean matches(String password, String hash) {
        if (hash == null) {
            return false;
        }
        var normalized = normalize(password);
        return onPool(() -> check(normalized, hash) || (!normalized.equals(password) && check(password, hash)));
    }

    private <T> T onPool(Callable<T> work) {
        Future<T> result;
        try {
            result = pool.submit(work);
        } catch (RejectedExecutionException e) {
            throw new Refused(ErrorCode.UNAVAILABLE, "too many password logins at once; try again in 1 s", 1);
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new Refused(ErrorCode.UNAVAILABLE, "the login was interrupted; try again", 1);
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed", e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static boolean check(String password, String hash) {
        try {
            return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String normalize(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFC);
    }

    /** False for text with a lone surrogate: it has no UTF-8 form, and would be hashed as '?'. */
    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
