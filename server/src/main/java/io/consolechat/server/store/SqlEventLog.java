package io.consolechat.server.store;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.bus.EventBus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** The event log in portable SQL; appends go through {@link GroupCommit}. */
final class SqlEventLog implements EventLog {
    static final String EVENT_COLUMNS =
            "room, seq, type, at, from_name, from_kind, text, action, user_name, user_kind, reason, target, deleted";
    private static final int QUEUE_CAPACITY = 10_000;

    private final Transactions transactions;
    private final CommitOutcomes outcomes;
    private final GroupCommit writer;

    /** {@code outcomes} and {@code inDoubtLimit}: see {@link GroupCommit}. */
    SqlEventLog(Transactions transactions, CommitOutcomes outcomes, Duration inDoubtLimit, EventBus bus,
                CommitNotice notice, Clock clock) {
        this.transactions = transactions;
        this.outcomes = outcomes;
        this.writer = new GroupCommit(transactions, outcomes, inDoubtLimit, bus, notice, clock, QUEUE_CAPACITY);
    }

    @Override
    public CompletableFuture<Event> append(NewEvent event) {
        return writer.append(event);
    }

    @Override
    public List<Event> after(String room, long after, int limit) {
        return transactions.read("read events", conn -> {
            try (var ps = conn.prepareStatement("SELECT " + EVENT_COLUMNS
                    + " FROM events WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, room);
                ps.setLong(2, after);
                ps.setInt(3, limit);
                return events(ps.executeQuery());
            }
        });
    }

    @Override
    public List<Event> before(String room, long before, int limit) {
        return transactions.read("read events", conn -> {
            try (var ps = conn.prepareStatement("SELECT " + EVENT_COLUMNS
                    + " FROM events WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?")) {
                ps.setString(1, room);
                ps.setLong(2, before);
                ps.setInt(3, limit);
                var events = events(ps.executeQuery());
                Collections.reverse(events);
                return events;
            }
        });
    }

    static List<Event> events(ResultSet rs) throws SQLException {
        try (rs) {
            var events = new ArrayList<Event>();
            while (rs.next()) {
                var from = user(rs.getString("from_name"), rs.getString("from_kind"));
                var user = rs.getString("user_name") == null ? null
                        : user(rs.getString("user_name"), rs.getString("user_kind"));
                long target = rs.getLong("target");
                Long targetSeq = rs.wasNull() ? null : target;
                events.add(new Event(EventType.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
                        rs.getString("room"), rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("at")), from,
                        rs.getString("text"), rs.getBoolean("action"), user, rs.getString("reason"), targetSeq,
                        rs.getBoolean("deleted")));
            }
            return events;
        }
    }

    static User user(String name, String kind) {
        return new User(name, UserKind.valueOf(kind.toUpperCase(Locale.ROOT)));
    }

    @Override
    public long lastSeq(String room) {
        return transactions.read("read a room", conn -> {
            try (var ps = conn.prepareStatement("SELECT last_seq FROM rooms WHERE name = ?")) {
                ps.setString(1, room);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<RoomRow> rooms(int limit, RoomRow after) {
        return transactions.read("list rooms", conn -> {
            var sql = "SELECT name, last_seq, last_activity FROM rooms"
                    + (after == null ? "" : " WHERE last_activity < ? OR (last_activity = ? AND name > ?)")
                    + " ORDER BY last_activity DESC, name LIMIT ?";
            try (var ps = conn.prepareStatement(sql)) {
                int i = 1;
                if (after != null) {
                    ps.setLong(i++, after.lastActivity().toEpochMilli());
                    ps.setLong(i++, after.lastActivity().toEpochMilli());
                    ps.setString(i++, after.name());
                }
                ps.setInt(i, limit);
                try (var rs = ps.executeQuery()) {
                    var rooms = new ArrayList<RoomRow>();
                    while (rs.next()) {
                        rooms.add(new RoomRow(rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3))));
                    }
                    return rooms;
                }
            }
        });
    }

    @Override
    public int forgetKeys(Instant before) {
        return transactions.write("forget idempotency keys", conn -> {
            // And the marks of servers that have committed nothing since: gone, or idle (a next batch marks again).
            outcomes.forget(conn, before);
            try (var ps = conn.prepareStatement("DELETE FROM post_keys WHERE created_at < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** Tells {@code observer} of each commit from now on. */
    void observeCommits(CommitObserver observer) {
        writer.observe(observer);
    }

    @Override
    public void close() {
        writer.close();
    }
}
