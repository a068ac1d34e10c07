package io.consolechat.bench;

import java.util.BitSet;

/**
 * What one listener received, per sender: which message numbers, how many twice, how many after a
 * higher number from the same sender. Lost ones are counted against what the senders had confirmed.
 */
final class ReceivedMessages {
    private final BitSet[] received;
    private final int[] highest;
    private long count;
    private long duplicates;
    private long reordered;
    private long foreign;

    ReceivedMessages(int senders) {
        received = new BitSet[senders];
        highest = new int[senders];
        for (int s = 0; s < senders; s++) {
            received[s] = new BitSet();
            highest[s] = -1;
        }
    }

    /** Notes a delivery; returns false if it was a duplicate. */
    boolean note(BenchMessage message) {
        if (message.sender() < 0 || message.sender() >= received.length || message.n() < 0) {
            foreign++;
            return false;
        }
        var seen = received[message.sender()];
        if (seen.get(message.n())) {
            duplicates++;
            return false;
        }
        seen.set(message.n());
        count++;
        if (message.n() < highest[message.sender()]) {
            reordered++;
        } else {
            highest[message.sender()] = message.n();
        }
        return true;
    }

    long count() {
        return count;
    }

    long duplicates() {
        return duplicates;
    }

    long reordered() {
        return reordered;
    }

    /** Messages from other benchmark runs on the same room, which are ignored. */
    long foreign() {
        return foreign;
    }

    /** How many of the confirmed messages (one set per sender) never arrived. */
    long lost(BitSet[] confirmed) {
        long lost = 0;
        for (int s = 0; s < confirmed.length; s++) {
            var missing = (BitSet) confirmed[s].clone();
            missing.andNot(received[s]);
            lost += missing.cardinality();
        }
        return lost;
    }
}
