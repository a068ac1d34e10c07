package io.consolechat.bench;

/**
 * The text of a benchmark message: {@code bench <sender> <n> <nanoTime>}. The sender numbers its
 * messages from 0; the time is the sender's {@link System#nanoTime()} at the moment it meant to send,
 * which listeners in the same JVM compare with their own clock.
 */
record BenchMessage(int sender, int n, long sentNanos) {
    private static final String PREFIX = "bench ";

    String text() {
        return PREFIX + sender + ' ' + n + ' ' + sentNanos;
    }

    /** The message in {@code text}, or null if the text is not a benchmark message. */
    static BenchMessage parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return null;
        }
        var parts = text.split(" ");
        if (parts.length != 4) {
            return null;
        }
        try {
            return new BenchMessage(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Long.parseLong(parts[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
