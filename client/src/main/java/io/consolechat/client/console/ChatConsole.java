package io.consolechat.client.console;

import io.consolechat.client.ApiError;
import io.consolechat.client.ChatClient;
import io.consolechat.client.ClientException;
import io.consolechat.client.ConnectionState;
import io.consolechat.client.Cursor;
import io.consolechat.client.Outbox;
import io.consolechat.client.RoomFollow;
import io.consolechat.client.RoomListener;
import io.consolechat.client.SavedLogin;
import io.consolechat.client.TokenStore;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.Tokens.TokenResponse;
import io.consolechat.protocol.User;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The interactive client: reads lines, runs slash commands, sends the rest to the current room through
 * the {@link Outbox} (which keeps a line the server cannot take yet), and shows the room as it streams in
 * (each event once, from the stream: your own messages too).
 */
public final class ChatConsole {
    private static final int JOIN_HISTORY = 20;
    private static final int HISTORY_PAGE = 20;
    private static final DateTimeFormatter ACTIVITY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** How long quitting waits for lines on their way to the server. */
    private static final Duration SEND_ON_QUIT = Duration.ofSeconds(5);

    /** Who this console speaks as. */
    private record Identity(String token, User user) {
        static Identity of(TokenResponse response) {
            return new Identity(response.token(), response.user());
        }
    }

    private final ChatClient client;
    private final TokenStore tokens;
    private final EventView view;
    private final RoomFollow.Settings followSettings;
    private final Clock clock;
    private final ConcurrentSkipListSet<String> knownRooms = new ConcurrentSkipListSet<>();
    /** Who is in the current room, by name as shown; for nickname completion. */
    private final ConcurrentSkipListSet<String> present = new ConcurrentSkipListSet<>(String.CASE_INSENSITIVE_ORDER);
    /** Ignored users, by {@link Names#userKey} (names are case-insensitive). */
    private final ConcurrentSkipListSet<String> ignored = new ConcurrentSkipListSet<>();
    private final AtomicLong oldestShown = new AtomicLong(Long.MAX_VALUE);
    /**
     * Actions this console posted and has not seen come back yet, by room and text: a server that does
     * not keep the action flag streams them back as plain messages, and they are still shown as actions.
     */
    private final ConcurrentHashMap<String, Integer> ownActions = new ConcurrentHashMap<>();

    private Screen screen;
    private volatile Identity identity;
    private volatile String room;
    private volatile ConnectionState connection;
    private RoomFollow follow;
    private Outbox outbox;
    /** Events shown since the connection was lost, to say how many came while away. */
    private final AtomicLong shownWhileAway = new AtomicLong();

    public ChatConsole(ChatClient client, TokenStore tokens, EventView view, RoomFollow.Settings followSettings,
                       Clock clock) {
        this.client = client;
        this.tokens = tokens;
        this.view = view;
        this.followSettings = followSettings;
        this.clock = clock;
    }

    /** The completer for a terminal screen: commands, the rooms this console has seen, the people in the room. */
    public org.jline.reader.Completer completer() {
        return new CommandCompleter(() -> (Collection<String>) knownRooms, () -> {
            var me = identity == null ? null : identity.user().name();
            return present.stream().filter(name -> !name.equalsIgnoreCase(me)).toList();
        });
    }

    /**
     * Runs until /quit, Ctrl-D or the end of the input. Fails with {@link ClientException} only when
     * the server cannot be reached at the start (nothing to show then).
     */
    public void run(Screen screen, Optional<String> initialRoom) {
        this.screen = screen;
        outbox = new Outbox(client, new Delivery(), followSettings.backoff());
        try {
            identity = startIdentity();
        } catch (ClientException e) {
            outbox.close();
            throw e;
        }
        screen.show(view.notice("connected to " + client.server() + " as " + describe(identity.user())
                + "; /help lists the commands"));
        refreshRooms();
        updateStatus();
        initialRoom.ifPresentOrElse(this::join,
                () -> screen.show(view.notice("join a room with /join ROOM (/rooms lists them)")));
        try {
            loop();
        } finally {
            int unsent = outbox.finish(SEND_ON_QUIT);
            if (unsent > 0) {
                screen.show(view.problem(unsent + (unsent == 1 ? " line was" : " lines were") + " not sent"));
            }
            leaveRoom();
        }
    }

    private void loop() {
        while (true) {
            String line;
            try {
                line = screen.readLine(prompt());
            } catch (Screen.Interrupted e) {
                return;
            }
            if (line == null) {
                return;
            }
            try {
                if (!handle(line.strip().isEmpty() ? "" : line)) {
                    return;
                }
            } catch (ClientException e) {
                screen.show(view.problem(e.getMessage()));
            }
        }
    }

    /** Runs one input line; false means quit. */
    private boolean handle(String line) {
        if (line.isEmpty()) {
            return true;
        }
        if (line.startsWith("//")) {
            send(line.substring(1), false);
            return true;
        }
        if (!line.startsWith("/")) {
            send(line, false);
            return true;
        }
        var parts = line.strip().split("\\s+", 2);
        var argument = parts.length > 1 ? parts[1].strip() : "";
        var command = SlashCommand.of(parts[0]);
        if (command.isEmpty()) {
            screen.show(view.problem("unknown command " + view.sanitizer().line(parts[0])
                    + "; /help lists the commands (//text sends a line starting with /)"));
            return true;
        }
        switch (command.get()) {
            case JOIN -> join(argument);
            case LEAVE -> leave();
            case ROOMS -> rooms();
            case WHO -> who();
            case HISTORY -> history(argument);
            case LOGIN -> login(argument);
            case LOGOUT -> logout();
            case ME -> action(argument);
            case WHOAMI -> screen.show(view.notice("you are " + describe(identity.user()) + " on " + client.server()));
            case IGNORE -> ignore(argument);
            case UNIGNORE -> unignore(argument);
            case HELP -> help();
            case QUIT -> {
                return false;
            }
        }
        return true;
    }

    private Identity startIdentity() {
        var saved = tokens.load(client.server()).filter(login -> !login.isExpired(clock.instant()));
        if (saved.isPresent()) {
            try {
                return new Identity(saved.get().token(), client.me(saved.get().token()));
            } catch (ApiError e) {
                if (!e.isAuthentication()) {
                    throw e;
                }
                tokens.remove(client.server());
                screen.show(view.notice("the saved login is no longer valid; continuing anonymously"));
            }
        }
        return Identity.of(client.session());
    }

    private void send(String text, boolean action) {
        var current = room;
        if (current == null) {
            screen.show(view.problem("you are in no room: /join ROOM first (/rooms lists them)"));
            return;
        }
        if (action) {
            ownActions.merge(actionKey(current, text), 1, Integer::sum);
        }
        // Not echoed here: the message appears once, when the stream brings it back.
        outbox.add(Outbox.Post.of(identity.token(), current, text, action));
        updateStatus();
    }

    private void action(String text) {
        if (text.isEmpty()) {
            screen.show(view.problem("usage: /me TEXT sends an action (* you TEXT); /whoami says who you are"));
            return;
        }
        send(text, true);
    }

    private void ignore(String name) {
        if (name.isEmpty()) {
            screen.show(view.notice(ignored.isEmpty() ? "nobody is ignored" : "ignored: " + String.join(", ", ignored)));
            return;
        }
        if (!Names.isValidUserName(name.replaceFirst("^~", "")) && !name.startsWith("anon-")) {
            screen.show(view.problem("usage: /ignore NAME"));
            return;
        }
        ignored.add(Names.userKey(name.replaceFirst("^~", "")));
        screen.show(view.notice("ignoring " + view.sanitizer().line(name) + "; /unignore " + view.sanitizer().line(name)
                + " shows their messages again"));
    }

    private void unignore(String name) {
        if (ignored.remove(Names.userKey(name.replaceFirst("^~", "")))) {
            screen.show(view.notice("showing the messages of " + view.sanitizer().line(name) + " again"));
        } else {
            screen.show(view.problem(view.sanitizer().line(name) + " is not ignored (/ignore lists who is)"));
        }
    }

    private boolean isIgnored(Event event) {
        return event.kind() == EventType.MESSAGE && ignored.contains(Names.userKey(event.from().name()));
    }

    private static String actionKey(String room, String text) {
        return room + "\n" + text;
    }

    /** Whether {@code event} is an action this console sent (and stops expecting it). */
    private boolean claimOwnAction(Event event) {
        var me = identity.user();
        if (event.text() == null || !event.from().name().equals(me.name()) || event.from().kind() != me.kind()) {
            return false;
        }
        var claimed = new boolean[1];
        ownActions.computeIfPresent(actionKey(event.room(), event.text()), (key, count) -> {
            claimed[0] = true;
            return count == 1 ? null : count - 1;
        });
        return claimed[0];
    }

    private void join(String argument) {
        var name = Names.roomName(argument);
        if (name.isEmpty()) {
            screen.show(view.problem("usage: /join ROOM (letters, digits, - and _, up to 64)"));
            return;
        }
        leaveRoom();
        oldestShown.set(Long.MAX_VALUE);
        follow(name.get(), Cursor.recent(JOIN_HISTORY));
        knownRooms.add(name.get());
        try {
            client.members(identity.token(), name.get()).forEach(user -> present.add(user.name()));
        } catch (ClientException e) {
            // Completion learns the names from the join events instead.
        }
        screen.show(view.notice("you are in " + name.get() + "; recent messages follow"));
    }

    private void follow(String name, Cursor from) {
        room = name;
        follow = RoomFollow.start(client, () -> identity.token(), name, from, new Listener(name), followSettings);
        updateStatus();
    }

    private void leave() {
        if (room == null) {
            screen.show(view.problem("you are in no room"));
            return;
        }
        var left = room;
        leaveRoom();
        screen.show(view.notice("you left " + left));
    }

    /** Stops following the current room and tells the server at once, so others see the leave now. */
    private void leaveRoom() {
        var current = room;
        if (current == null) {
            return;
        }
        follow.close();
        follow = null;
        room = null;
        present.clear();
        connection = null;
        updateStatus();
        try {
            client.leave(identity.token(), current);
        } catch (ClientException e) {
            // The server notes the leave by itself after the grace period.
        }
    }

    private void rooms() {
        var rooms = client.rooms(identity.token());
        if (rooms.isEmpty()) {
            screen.show(view.notice("no rooms yet: /join ROOM makes one"));
            return;
        }
        var zone = ZoneId.systemDefault();
        for (var summary : rooms) {
            var name = view.sanitizer().line(summary.name());
            knownRooms.add(summary.name());
            var active = summary.lastActivity() == null ? "-" : ACTIVITY.format(summary.lastActivity().atZone(zone));
            screen.show(ScreenLine.of(String.format("%-24s %4d %s  last active %s", name, summary.members(),
                    summary.members() == 1 ? "member " : "members", active)));
        }
    }

    private void refreshRooms() {
        try {
            client.rooms(identity.token()).forEach(r -> knownRooms.add(r.name()));
        } catch (ClientException e) {
            // Completion works without them.
        }
    }

    private void who() {
        var current = room;
        if (current == null) {
            screen.show(view.problem("you are in no room"));
            return;
        }
        var members = client.members(identity.token(), current);
        var line = new AttributedStringBuilder().append("in " + current + " (" + members.size() + "): ",
                AttributedStyle.DEFAULT.faint());
        for (int i = 0; i < members.size(); i++) {
            line.append(i == 0 ? "" : ", ").append(view.name(members.get(i)));
        }
        screen.show(new ScreenLine(line.toAttributedString(), 3));
    }

    private void history(String argument) {
        var current = room;
        if (current == null) {
            screen.show(view.problem("you are in no room"));
            return;
        }
        int count;
        try {
            count = argument.isEmpty() ? HISTORY_PAGE : Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > 500) {
            screen.show(view.problem("usage: /history [N] with N from 1 to 500"));
            return;
        }
        long oldest = oldestShown.get();
        var before = oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
        var events = client.messages(identity.token(), current, before, count);
        if (events.isEmpty()) {
            screen.show(view.notice("no earlier messages in " + current));
            return;
        }
        screen.show(view.notice(events.size() + " earlier events of " + current + ":"));
        for (var event : events) {
            oldestShown.accumulateAndGet(event.seq(), Math::min);
            view.render(event).forEach(screen::show);
        }
        screen.show(view.notice("end of the earlier events"));
    }

    /**
     * {@code /login NAME}. The server gives a name alone (a temporary user) only when nobody holds it,
     * and refuses it with {@code invalid_credentials} when it is taken; asking for the name alone tells
     * the console whether a password would log in or create an account, so that a new account's
     * password is asked for twice and a registered name's owner is asked for the password.
     */
    private void login(String name) {
        if (!Names.isValidUserName(name)) {
            screen.show(view.problem("usage: /login NAME (2 to 32 of A-Z a-z 0-9 _ -, not starting with anon-)"));
            return;
        }
        var password = screen.readSecret("password for " + name + " (empty: temporary user): ");
        if (password == null) {
            screen.show(view.notice("login cancelled"));
            return;
        }
        TokenResponse nameAlone;
        try {
            nameAlone = client.login(name, null);
        } catch (ApiError e) {
            if (!isTaken(e)) {
                refused(e);
                return;
            }
            if (password.isEmpty()) {
                screen.show(view.notice(name + " belongs to a registered account (or a temporary user now in use)"));
                password = screen.readSecret("password for " + name + " (empty: cancel): ");
                if (password == null || password.isEmpty()) {
                    screen.show(view.notice("login cancelled"));
                    return;
                }
            }
            logIn(name, password);
            return;
        }
        if (password.isEmpty()) {
            finishLogin(nameAlone);
            return;
        }
        // The name is free: the password creates an account. The temporary user was only the question.
        revoke(nameAlone.token());
        var again = screen.readSecret("new account " + name + ": the password again: ");
        if (again == null || !again.equals(password)) {
            screen.show(view.problem("the passwords differ; no account created, you are still "
                    + describe(identity.user())));
            return;
        }
        logIn(name, password);
    }

    private static boolean isTaken(ApiError e) {
        return e.errorCode().filter(code -> code == ErrorCode.INVALID_CREDENTIALS).isPresent();
    }

    private void logIn(String name, String password) {
        try {
            finishLogin(client.login(name, password));
        } catch (ApiError e) {
            refused(e);
        }
    }

    private void refused(ApiError e) {
        screen.show(view.problem("login refused: " + e.getMessage() + "; you are still " + describe(identity.user())));
    }

    private void finishLogin(TokenResponse response) {
        if (Boolean.TRUE.equals(response.created())) {
            screen.show(view.notice("account " + view.sanitizer().line(response.user().name()) + " created"));
        }
        tokens.save(client.server(), SavedLogin.of(response));
        become(Identity.of(response));
    }

    private void revoke(String token) {
        try {
            client.logout(token);
        } catch (ClientException e) {
            // It expires by itself; the account is created all the same once the token is gone or not.
        }
    }

    private void logout() {
        var old = identity;
        var fresh = Identity.of(client.session());
        var rejoin = room;
        long last = follow == null ? 0 : follow.lastSeq();
        leaveRoom();
        try {
            client.logout(old.token());
        } catch (ApiError e) {
            // Already expired or revoked: logged out either way.
        }
        tokens.load(client.server()).filter(saved -> saved.token().equals(old.token()))
                .ifPresent(saved -> tokens.remove(client.server()));
        identity = fresh;
        screen.show(view.notice("logged out; you are now " + describe(fresh.user())));
        if (rejoin != null) {
            follow(rejoin, continueFrom(last));
        }
        updateStatus();
    }

    /** Picks up after the last event shown; with none shown yet, starts like a join, not from the beginning. */
    private static Cursor continueFrom(long lastShown) {
        return lastShown == 0 ? Cursor.recent(JOIN_HISTORY) : Cursor.after(lastShown);
    }

    /** Switches user; the current room is left as the old user and entered as the new one. */
    private void become(Identity next) {
        var rejoin = room;
        long last = follow == null ? 0 : follow.lastSeq();
        leaveRoom();
        identity = next;
        screen.show(view.notice("you are " + describe(next.user())));
        if (rejoin != null) {
            follow(rejoin, continueFrom(last));
        }
        updateStatus();
    }

    private void help() {
        for (var command : SlashCommand.values()) {
            screen.show(new ScreenLine(new AttributedString(String.format("%-14s %s", command.usage(), command.help())), 15));
        }
        screen.show(new ScreenLine(new AttributedString(String.format("%-14s %s", "//text", "send a line that starts with /")), 15));
        screen.show(new ScreenLine(new AttributedString(String.format("%-14s %s", "text", "send text to the current room")), 15));
    }

    private void showEvent(Event event) {
        oldestShown.accumulateAndGet(event.seq(), Math::min);
        switch (event.kind()) {
            case JOIN -> present.add(event.from().name());
            case LEAVE -> present.remove(event.from().name());
            case MESSAGE -> {
            }
        }
        boolean action = claimOwnAction(event) || Boolean.TRUE.equals(event.action());
        if (isIgnored(event)) {
            return;
        }
        var me = identity.user();
        boolean fromMe = event.from().name().equals(me.name()) && event.from().kind() == me.kind();
        boolean mention = !fromMe && Mentions.names(event.text(), me.name());
        view.render(event, action, mention).forEach(screen::show);
        if (mention) {
            screen.bell();
        }
    }

    private String describe(User user) {
        var kind = user.kind().wireName();
        return view.name(user).toString() + " (" + kind + ")";
    }

    private String prompt() {
        var current = room;
        return (current == null ? "" : current) + "> ";
    }

    private void updateStatus() {
        var current = room;
        var user = identity == null ? null : identity.user();
        var line = new AttributedStringBuilder().style(AttributedStyle.INVERSE)
                .append(" ").append(client.server().toString())
                .append(" | ").append(user == null ? "-" : describe(user))
                .append(" | ").append(current == null ? "no room" : current)
                .append(" | ").append(current == null || connection == null ? "-" : connection.describe());
        int unsent = outbox == null ? 0 : outbox.unsent();
        if (unsent > 0) {
            line.append(" | ").append(unsent + " pending");
        }
        line.append(" ");
        screen.status(line.toAttributedString());
    }

    /** Events and state changes of the followed room, on the follower's thread. */
    private final class Listener implements RoomListener {
        private final String followed;

        Listener(String followed) {
            this.followed = followed;
        }

        @Override
        public void onEvent(Event event) {
            if (followed.equals(room)) {
                if (connection instanceof ConnectionState.Reconnecting) {
                    shownWhileAway.incrementAndGet();
                }
                showEvent(event);
            }
        }

        @Override
        public void onState(ConnectionState state) {
            if (!followed.equals(room)) {
                return;
            }
            var before = connection;
            connection = state;
            switch (state) {
                case ConnectionState.Reconnecting r when before instanceof ConnectionState.Connected -> {
                    shownWhileAway.set(0);
                    screen.show(view.notice("connection lost (" + view.sanitizer().line(r.reason())
                            + "); reconnecting"));
                }
                case ConnectionState.Connected c when before instanceof ConnectionState.Reconnecting -> {
                    long away = shownWhileAway.getAndSet(0);
                    screen.show(view.notice(away == 0 ? "reconnected; nothing was missed"
                            : "reconnected; the " + (away == 1 ? "event" : away + " events")
                                    + " above came while away; nothing was missed"));
                }
                case ConnectionState.Offline o ->
                        screen.show(view.problem("stopped following " + followed + ": "
                                + view.sanitizer().line(o.cause().getMessage())));
                default -> {
                }
            }
            if (state instanceof ConnectionState.Connected) {
                outbox.retryNow();
            }
            updateStatus();
        }
    }

    /** What becomes of the lines typed: kept and said so while the server cannot take them. */
    private final class Delivery implements Outbox.Listener {
        @Override
        public void pending(Outbox.Post post, String reason) {
            screen.show(view.notice("pending, sent when the server takes it (" + view.sanitizer().line(reason)
                    + "): " + view.sanitizer().line(post.text())));
            updateStatus();
        }

        @Override
        public void sent(Outbox.Post post, Event event) {
            updateStatus();
        }

        @Override
        public void refused(Outbox.Post post, ApiError error) {
            if (post.action()) {
                ownActions.computeIfPresent(actionKey(post.room(), post.text()), (key, count) -> count == 1 ? null : count - 1);
            }
            screen.show(view.problem("not sent: " + view.sanitizer().line(error.getMessage()) + ": "
                    + view.sanitizer().line(post.text())));
            updateStatus();
        }
    }
}
