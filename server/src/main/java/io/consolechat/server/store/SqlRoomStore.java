package io.consolechat.server.store;

import io.consolechat.protocol.Names;
import io.consolechat.protocol.Rooms.Access;
import io.consolechat.protocol.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Room settings, roles and bans in portable SQL. */
final class SqlRoomStore implements RoomStore {
    private static final String BAN_COLUMNS = "room, user_name, user_kind, by_name, by_kind, at, until, reason";

    private final Transactions transactions;

    SqlRoomStore(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public Optional<RoomSettings> settings(String room) {
        return transactions.read("read a room's settings", conn -> {
            try (var ps = conn.prepareStatement(
                    "SELECT name, access, key_hash, topic, owner_name FROM room_settings WHERE name = ?")) {
                ps.setString(1, room);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new RoomSettings(rs.getString(1), Access.of(rs.getString(2)), rs.getString(3),
                            rs.getString(4), new User(rs.getString(5), io.consolechat.protocol.UserKind.REGISTERED)));
                }
            }
        });
    }

    @Override
    public boolean claim(RoomSettings settings, Instant at, boolean evenWithEvents) {
        return transactions.write("claim a room", conn -> {
            if (exists(conn, "SELECT 1 FROM room_settings WHERE name = ?", settings.name())
                    || (!evenWithEvents && exists(conn, "SELECT 1 FROM rooms WHERE name = ?", settings.name()))) {
                return false;
            }
            try (var ps = conn.prepareStatement("INSERT INTO room_settings "
                    + "(name, access, key_hash, topic, owner_key, owner_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, settings.name());
                ps.setString(2, settings.access().wireName());
                ps.setString(3, settings.keyHash());
                ps.setString(4, settings.topic());
                ps.setString(5, Names.userKey(settings.owner().name()));
                ps.setString(6, settings.owner().name());
                ps.setLong(7, at.toEpochMilli());
                ps.executeUpdate();
            }
            return true;
        });
    }

    private static boolean exists(Connection conn, String sql, String... values) throws SQLException {
        try (var ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public void update(RoomSettings settings) {
        transactions.write("update a room", conn -> {
            try (var ps = conn.prepareStatement(
                    "UPDATE room_settings SET access = ?, key_hash = ?, topic = ? WHERE name = ?")) {
                ps.setString(1, settings.access().wireName());
                ps.setString(2, settings.keyHash());
                ps.setString(3, settings.topic());
                ps.setString(4, settings.name());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean add(String room, Role role, User user) {
        return transactions.write("add a room role", conn -> {
            var key = Names.userKey(user.name());
            if (exists(conn, "SELECT 1 FROM room_people WHERE room = ? AND role = ? AND user_key = ?",
                    room, role(role), key)) {
                return false;
            }
            try (var ps = conn.prepareStatement(
                    "INSERT INTO room_people (room, role, user_key, user_name, user_kind) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, room);
                ps.setString(2, role(role));
                ps.setString(3, key);
                ps.setString(4, user.name());
                ps.setString(5, user.kind().wireName());
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean remove(String room, Role role, String userName) {
        return transactions.write("remove a room role", conn -> {
            try (var ps = conn.prepareStatement("DELETE FROM room_people WHERE room = ? AND role = ? AND user_key = ?")) {
                ps.setString(1, room);
                ps.setString(2, role(role));
                ps.setString(3, Names.userKey(userName));
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Set<Role> roles(String room, String userName) {
        return transactions.read("read room roles", conn -> {
            try (var ps = conn.prepareStatement("SELECT role FROM room_people WHERE room = ? AND user_key = ?")) {
                ps.setString(1, room);
                ps.setString(2, Names.userKey(userName));
                try (var rs = ps.executeQuery()) {
                    var roles = EnumSet.noneOf(Role.class);
                    while (rs.next()) {
                        roles.add(Role.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)));
                    }
                    return roles;
                }
            }
        });
    }

    @Override
    public List<User> people(String room, Role role) {
        return transactions.read("list room roles", conn -> {
            try (var ps = conn.prepareStatement(
                    "SELECT user_name, user_kind FROM room_people WHERE room = ? AND role = ? ORDER BY user_key")) {
                ps.setString(1, room);
                ps.setString(2, role(role));
                try (var rs = ps.executeQuery()) {
                    var people = new ArrayList<User>();
                    while (rs.next()) {
                        people.add(SqlEventLog.user(rs.getString(1), rs.getString(2)));
                    }
                    return people;
                }
            }
        });
    }

    @Override
    public void ban(RoomBan ban) {
        transactions.write("ban from a room", conn -> {
            var key = Names.userKey(ban.user().name());
            try (var ps = conn.prepareStatement("DELETE FROM room_bans WHERE room = ? AND user_key = ?")) {
                ps.setString(1, ban.room());
                ps.setString(2, key);
                ps.executeUpdate();
            }
            try (var ps = conn.prepareStatement("DELETE FROM room_people WHERE room = ? AND role = ? AND user_key = ?")) {
                ps.setString(1, ban.room());
                ps.setString(2, role(Role.MEMBER));
                ps.setString(3, key);
                ps.executeUpdate();
            }
            try (var ps = conn.prepareStatement("INSERT INTO room_bans (room, user_key, user_name, user_kind, "
                    + "by_name, by_kind, at, until, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, ban.room());
                ps.setString(2, key);
                ps.setString(3, ban.user().name());
                ps.setString(4, ban.user().kind().wireName());
                ps.setString(5, ban.by().name());
                ps.setString(6, ban.by().kind().wireName());
                ps.setLong(7, ban.at().toEpochMilli());
                if (ban.until() == null) {
                    ps.setNull(8, Types.BIGINT);
                } else {
                    ps.setLong(8, ban.until().toEpochMilli());
                }
                ps.setString(9, ban.reason());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean unban(String room, String userName, Instant now) {
        return transactions.write("lift a room ban", conn -> {
            boolean active = activeBan(conn, room, userName, now).isPresent();
            try (var ps = conn.prepareStatement("DELETE FROM room_bans WHERE room = ? AND user_key = ?")) {
                ps.setString(1, room);
                ps.setString(2, Names.userKey(userName));
                ps.executeUpdate();
            }
            return active;
        });
    }

    @Override
    public Optional<RoomBan> ban(String room, String userName, Instant now) {
        return transactions.read("read a room ban", conn -> activeBan(conn, room, userName, now));
    }

    private static Optional<RoomBan> activeBan(Connection conn, String room, String userName, Instant now)
            throws SQLException {
        try (var ps = conn.prepareStatement("SELECT " + BAN_COLUMNS + " FROM room_bans "
                + "WHERE room = ? AND user_key = ? AND (until IS NULL OR until > ?)")) {
            ps.setString(1, room);
            ps.setString(2, Names.userKey(userName));
            ps.setLong(3, now.toEpochMilli());
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ban(rs)) : Optional.empty();
            }
        }
    }

    private static RoomBan ban(ResultSet rs) throws SQLException {
        long until = rs.getLong("until");
        var untilTime = rs.wasNull() ? null : Instant.ofEpochMilli(until);
        return new RoomBan(rs.getString("room"), SqlEventLog.user(rs.getString("user_name"), rs.getString("user_kind")),
                SqlEventLog.user(rs.getString("by_name"), rs.getString("by_kind")),
                Instant.ofEpochMilli(rs.getLong("at")), untilTime, rs.getString("reason"));
    }

    @Override
    public List<RoomBan> bans(String room, Instant now) {
        return transactions.read("list room bans", conn -> {
            try (var ps = conn.prepareStatement("SELECT " + BAN_COLUMNS + " FROM room_bans "
                    + "WHERE room = ? AND (until IS NULL OR until > ?) ORDER BY user_key")) {
                ps.setString(1, room);
                ps.setLong(2, now.toEpochMilli());
                try (var rs = ps.executeQuery()) {
                    var bans = new ArrayList<RoomBan>();
                    while (rs.next()) {
                        bans.add(ban(rs));
                    }
                    return bans;
                }
            }
        });
    }

    @Override
    public Set<String> privateRooms() {
        return names("SELECT name FROM room_settings WHERE access <> 'open'");
    }

    @Override
    public Set<String> roomsOf(String userName) {
        var key = Names.userKey(userName);
        return names("SELECT name FROM room_settings WHERE owner_key = ? "
                + "UNION SELECT room FROM room_people WHERE user_key = ?", key, key);
    }

    private Set<String> names(String sql, String... values) {
        return transactions.read("list rooms", conn -> {
            try (var ps = conn.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    ps.setString(i + 1, values[i]);
                }
                try (var rs = ps.executeQuery()) {
                    var names = new HashSet<String>();
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                    return names;
                }
            }
        });
    }

    private static String role(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
