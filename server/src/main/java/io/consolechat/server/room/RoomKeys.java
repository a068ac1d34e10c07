package io.consolechat.server.room;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Room keys are shared passwords: stored as Argon2id hashes (the parameters of account passwords), so a copy
 * of the database does not reveal them.
 */
final class RoomKeys {
    private final Argon2Function argon2 = Argon2Function.getInstance(
            19 * 1024, 2, 1, 32, Argon2.ID, Argon2Function.ARGON2_VERSION_13);

    String hash(String key) {
        return Password.hash(key).addRandomSalt(16).with(argon2).getResult();
    }

    boolean matches(String key, String hash) {
        if (key == null || hash == null) {
            return false;
        }
        try {
            return Password.check(key, hash).with(Argon2Function.getInstanceFromHash(hash));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
