package io.consolechat.client;

/** Where a room stream starts: with the room's recent history, or just after a sequence number. */
public sealed interface Cursor {
    /** The last {@code history} events (0 to 500), then live ones. */
    record Recent(int history) implements Cursor {
        public Recent {
            if (history < 0 || history > 500) {
                throw new IllegalArgumentException("history is 0 to 500");
            }
        }

        @Override
        public String query() {
            return "history=" + history;
        }
    }

    /** Every event with a sequence number above {@code seq}, then live ones. */
    record After(long seq) implements Cursor {
        public After {
            if (seq < 0) {
                throw new IllegalArgumentException("seq is not negative");
            }
        }

        @Override
        public String query() {
            return "since=" + seq;
        }
    }

    String query();

    static Cursor recent(int history) {
        return new Recent(history);
    }

    static Cursor after(long seq) {
        return new After(seq);
    }
}
