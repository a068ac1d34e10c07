package io.consolechat.server.store;

/** Who blocks whom, by case-folded user name. Each call is one transaction. */
public interface BlockList {

    /** {@code userKey} blocks {@code blockedKey}; blocking twice is the same as once. */
    void block(String userKey, String blockedKey);

    /** Lifts the block; returns whether there was one. */
    boolean unblock(String userKey, String blockedKey);

    boolean blocks(String userKey, String blockedKey);
}
