package io.consolechat.server.store;

import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The personal streams in portable SQL. Each append is its own transaction: the user's {@code last_id} is
 * raised with {@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING} (which locks the row until the commit,
 * as {@link GroupCommit} does for rooms), and the item is stored under that id; on PostgreSQL the same
 * transaction tells the other servers, so that they hear of it only once it is committed.
 */
final class SqlPersonalLog implements PersonalLog {
    private static final String COLUMNS = "id, type, room, seq, at, from_name, from_kind, text, action";

    private final Transactions transactions;
    private final PostgresNotifications notifications;
    private final CommitNotice notice;

    /** {@code notifications}: the other servers on the same PostgreSQL database; null when there are none. */
    SqlPersonalLog(Transactions transactions, PostgresNotifications notifications) {
        this.transactions = transactions;
        this.notifications = notifications;
        this.notice = notifications == null ? CommitNotice.NONE : notifications;
    }

    @Override
    public PersonalEvent append(String userKey, PersonalEvent item) {
        return transactions.write("store a personal item", conn -> {
            long id;
            try (var ps = conn.prepareStatement("INSERT INTO personal_streams (user_key, last_id) VALUES (?, 1) "
                    + "ON CONFLICT (user_key) DO UPDATE SET last_id = personal_streams.last_id + 1 RETURNING last_id")) {
                ps.setString(1, userKey);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the personal stream of " + userKey + " returned no id");
                    }
                    id = rs.getLong(1);
                }
            }
            var stored = item.withId(id);
            try (var ps = conn.prepareStatement("INSERT INTO personal_events (user_key, " + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, userKey);
                ps.setLong(2, id);
                ps.setString(3, stored.type());
                ps.setString(4, stored.room());
                if (stored.seq() == null) {
                    ps.setNull(5, Types.BIGINT);
                } else {
                    ps.setLong(5, stored.seq());
                }
                ps.setLong(6, stored.at().toEpochMilli());
                ps.setString(7, stored.from().name());
                ps.setString(8, stored.from().kind().wireName());
                ps.setString(9, stored.text());
                ps.setBoolean(10, stored.action() != null);
                ps.executeUpdate();
            }
            notice.personalItem(conn, userKey, id);
            return stored;
        });
    }

    @Override
    public List<PersonalEvent> after(String userKey, long after, int limit) {
        return transactions.read("read a personal stream", conn -> {
            try (var ps = conn.prepareStatement("SELECT " + COLUMNS
                    + " FROM personal_events WHERE user_key = ? AND id > ? ORDER BY id LIMIT ?")) {
                ps.setString(1, userKey);
                ps.setLong(2, after);
                ps.setInt(3, limit);
                return items(ps.executeQuery());
            }
        });
    }

    @Override
    public List<PersonalEvent> last(String userKey, int limit) {
        return transactions.read("read a personal stream", conn -> {
            try (var ps = conn.prepareStatement("SELECT " + COLUMNS
                    + " FROM personal_events WHERE user_key = ? ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, userKey);
                ps.setInt(2, limit);
                var items = items(ps.executeQuery());
                Collections.reverse(items);
                return items;
            }
        });
    }

    @Override
    public long lastId(String userKey) {
        return transactions.read("read a personal stream", conn -> {
            try (var ps = conn.prepareStatement("SELECT last_id FROM personal_streams WHERE user_key = ?")) {
                ps.setString(1, userKey);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void onStoredElsewhere(StoredElsewhere stored) {
        if (notifications != null) {
            notifications.onPersonalItem(stored);
        }
    }

    @Override
    public void onNoticesMissed(Runnable missed) {
        if (notifications != null) {
            notifications.onAnnouncementsMissed(missed);
        }
    }

    private static List<PersonalEvent> items(ResultSet rs) throws SQLException {
        try (rs) {
            var items = new ArrayList<PersonalEvent>();
            while (rs.next()) {
                long seq = rs.getLong("seq");
                Long seqOrNull = rs.wasNull() ? null : seq;
                var from = new User(rs.getString("from_name"),
                        UserKind.valueOf(rs.getString("from_kind").toUpperCase(Locale.ROOT)));
                var kind = PersonalEvent.Kind.of(rs.getString("type"))
                        .orElseThrow(() -> new SQLException("unknown personal item type"));
                items.add(new PersonalEvent(kind, rs.getLong("id"), rs.getString("room"), seqOrNull,
                        Instant.ofEpochMilli(rs.getLong("at")), from, rs.getString("text"), rs.getBoolean("action")));
            }
            return items;
        }
    }
}
