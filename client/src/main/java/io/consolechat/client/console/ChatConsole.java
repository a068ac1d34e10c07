package io.consolechat.client.console;

import io.consolechat.client.ApiError;
import io.consolechat.client.ChatClient;
import io.consolechat.client.ClientException;
import io.consolechat.client.ConnectionState;
import io.consolechat.client.Outbox;
import io.consolechat.client.RoomFollow;
import io.consolechat.client.RoomsFollow;
import io.consolechat.client.SavedLogin;
import io.consolechat.client.TokenStore;
import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.EventType;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.protocol.Rooms.Access;
import io.consolechat.protocol.Tokens.TokenResponse;
import io.consolechat.protocol.User;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The interactive client: windows on several rooms and direct conversations at once, all fed by one
 * {@link RoomsFollow} stream; reads lines, runs slash commands, sends the rest to the current window
 * through the {@link Outbox} (which keeps a line the server cannot take yet), and shows each event once,
 * from the stream (your own messages too). Windows not looked at collect activity for the status line;
 * mentions and direct messages are highlights and ring the bell wherever you are.
 */
public final class ChatConsole {
    private static final int HISTORY_PAGE = 20;
    /** The rooms one {@code GET /stream} carries at most. */
    private static final int MAX_ROOMS = 50;
    /** Older events fetched at once when PageUp reaches the top of a window. */
    private static final int SCROLLBACK_PAGE = 50;
    /** Lines a window keeps; older ones are fetched again from the server when paged back to. */
    private static final int WINDOW_LINES = 2000;
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
    private final ConsoleSettings settings;
    private final ConcurrentSkipListSet<String> knownRooms = new ConcurrentSkipListSet<>();
    /** Ignored users, by {@link Names#userKey} (names are case-insensitive). */
    private final ConcurrentSkipListSet<String> ignored = new ConcurrentSkipListSet<>();
    /**
     * Actions this console posted and has not seen come back yet, by room and text: a server that does
     * not keep the action flag streams them back as plain messages, and they are still shown as actions.
     */
    private final ConcurrentHashMap<String, Integer> ownActions = new ConcurrentHashMap<>();
    /** The sequence number of your last message in each room, for {@code /delete}. */
    private final ConcurrentHashMap<String, Long> lastOwn = new ConcurrentHashMap<>();
    /** Guarded by the screen's lock ({@link Screen#atomically}). */
    private final WindowList windows = new WindowList(Window.home(WINDOW_LINES));

    private Screen screen;
    private volatile Identity identity;
    private volatile ConnectionState connection;
    private volatile RoomsFollow follow;
    private Outbox outbox;
    /** Events shown since the connection was lost, to say how many came while away. */
    private final AtomicLong shownWhileAway = new AtomicLong();

    public ChatConsole(ChatClient client, TokenStore tokens, EventView view, RoomFollow.Settings followSettings,
                       Clock clock) {
        this(client, tokens, view, followSettings, clock, ConsoleSettings.defaults());
    }

    public ChatConsole(ChatClient client, TokenStore tokens, EventView view, RoomFollow.Settings followSettings,
                       Clock clock, ConsoleSettings settings) {
        this.client = client;
        this.tokens = tokens;
        this.view = view;
        this.followSettings = followSettings;
        this.clock = clock;
        this.settings = settings;
    }

    /** The completer for a terminal screen: commands, the rooms this console has seen, the people in the room. */
    public org.jline.reader.Completer completer() {
        return new CommandCompleter(() -> (Collection<String>) knownRooms, () -> {
            var me = identity == null ? null : identity.user().name();
            var present = screen == null ? List.<String>of() : List.copyOf(current().present());
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
        screen.keys(new WindowKeys());
        say(view.notice("connected to " + client.server() + " as " + describe(identity.user())
                + "; /help lists the commands"));
        refreshRooms();
        follow = startFollow(personalCursor());
        var startRooms = new ArrayList<>(settings.rooms());
        initialRoom.ifPresent(room -> {
            startRooms.remove(room);
            startRooms.add(room);
        });
        if (startRooms.isEmpty()) {
            say(view.notice("join a room with /join ROOM (/rooms lists them)"));
        }
        startRooms.forEach(room -> join(room));
        updateStatus();
        try {
            loop();
        } finally {
            int unsent = outbox.finish(SEND_ON_QUIT);
            if (unsent > 0) {
                say(view.problem(unsent + (unsent == 1 ? " line was" : " lines were") + " not sent"));
            }
            follow.close();
            for (var window : windowsOf(Window.Kind.ROOM)) {
                tellLeft(identity.token(), window.target());
            }
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
                say(view.problem(e.getMessage()));
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
            say(view.problem("unknown command " + view.sanitizer().line(parts[0])
                    + "; /help lists the commands (//text sends a line starting with /)"));
            return true;
        }
        switch (command.get()) {
            case JOIN -> join(argument);
            case PART, LEAVE -> part(argument);
            case WINDOW -> window(argument);
            case WINDOWS -> listWindows();
            case MSG -> message(argument);
            case QUERY -> query(argument);
            case ROOMS -> rooms();
            case WHO -> who();
            case HISTORY -> history(argument);
            case TOPIC -> topic(argument);
            case INVITE -> invite(argument);
            case KICK -> kick(argument);
            case BAN -> ban(argument);
            case KEY -> key(argument);
            case OP -> operator(argument, true);
            case DEOP -> operator(argument, false);
            case DELETE -> delete(argument);
            case LOGIN -> login(argument);
            case LOGOUT -> logout();
            case ME -> action(argument);
            case WHOAMI -> say(view.notice("you are " + describe(identity.user()) + " on " + client.server()));
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
                say(view.notice("the saved login is no longer valid; continuing anonymously"));
            }
        }
        return Identity.of(client.session());
    }

    /** The personal stream's cursor now: direct messages from here on open windows. */
    private long personalCursor() {
        try {
            return client.personalCursor(identity.token());
        } catch (ClientException e) {
            return 0;
        }
    }

    private RoomsFollow startFollow(long me) {
        return RoomsFollow.start(client, () -> identity.token(), me, new Listener(), followSettings);
    }

    // ---- windows ----

    private Window current() {
        return read(windows::current);
    }

    /** What {@code query} finds in the windows, read under the screen's lock. */
    private <T> T read(java.util.function.Supplier<T> query) {
        var found = new java.util.concurrent.atomic.AtomicReference<T>();
        screen.atomically(() -> found.set(query.get()));
        return found.get();
    }

    private List<Window> windowsOf(Window.Kind kind) {
        var found = new ArrayList<Window>();
        screen.atomically(() -> windows.all().stream().filter(w -> w.kind() == kind).forEach(found::add));
        return found;
    }

    /** A line for the window being looked at: notices, problems, answers to commands. */
    private void say(ScreenLine line) {
        screen.atomically(() -> add(windows.current(), List.of(line), false, false));
    }

    private void sayIn(Window window, ScreenLine line) {
        screen.atomically(() -> add(window, List.of(line), false, false));
    }

    /**
     * Adds lines to {@code window}: shown at once if it is looked at (and not scrolled back), else
     * counted as activity when {@code counts}, a highlight when {@code highlight}.
     */
    private void add(Window window, List<ScreenLine> lines, boolean counts, boolean highlight) {
        lines.forEach(window::add);
        if (window == windows.current()) {
            window.followMarker(lines.size());
            if (window.scrolled() == 0) {
                lines.forEach(screen::show);
            }
        } else {
            if (counts) {
                window.unseen(lines.size(), highlight);
            }
            if (!screen.showsOneWindow()) {
                // A pipe cannot switch windows: it gets every line, marked with its window.
                lines.forEach(line -> screen.show(new ScreenLine(new AttributedStringBuilder()
                        .append("[" + view.sanitizer().line(window.name()) + "] ").append(line.text())
                        .toAttributedString(), line.indent())));
            }
        }
    }

    private ScreenLine marker() {
        return view.notice("---- new since you last looked ----");
    }

    /** Looks at {@code window}: it is drawn again, its activity cleared. */
    private void select(Window window) {
        screen.atomically(() -> {
            windows.select(window);
            screen.redraw(window.lines(marker()), window.scrolled());
            screen.prompt(prompt());
        });
        updateStatus();
    }

    private Window openRoomWindow(String room) {
        return read(() -> windows.find(Window.Kind.ROOM, room)
                .orElseGet(() -> windows.add(Window.room(room, WINDOW_LINES))));
    }

    private Window openDirectWindow(String user) {
        return read(() -> windows.find(Window.Kind.DIRECT, user)
                .orElseGet(() -> windows.add(Window.direct(user, WINDOW_LINES))));
    }

    private void window(String argument) {
        int number;
        try {
            number = Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            number = -1;
        }
        int wanted = number;
        var target = read(() -> windows.get(wanted));
        if (target.isEmpty()) {
            say(view.problem("usage: /window N, N a window's number (/windows lists them)"));
            return;
        }
        select(target.get());
    }

    private void listWindows() {
        var lines = new ArrayList<ScreenLine>();
        screen.atomically(() -> {
            for (var window : windows.all()) {
                var line = String.format("%2d %-24s", windows.number(window), view.sanitizer().line(window.name()));
                if (window == windows.current()) {
                    line += " (here)";
                } else if (window.unread() > 0) {
                    line += " " + window.unread() + " new" + (window.highlight() ? ", highlighted" : "");
                }
                lines.add(ScreenLine.of(line));
            }
        });
        lines.forEach(this::say);
    }

    /** The keys that move between windows and page through the current one. */
    private final class WindowKeys implements Screen.Keys {
        @Override
        public void window(int number) {
            screen.atomically(() -> windows.get(number).ifPresent(ChatConsole.this::select));
        }

        @Override
        public void step(int direction) {
            screen.atomically(() -> select(windows.neighbour(direction)));
        }

        @Override
        public void page(int direction) {
            try {
                screen.atomically(() -> scroll(direction));
            } catch (ClientException e) {
                say(view.problem("cannot fetch earlier messages: " + view.sanitizer().line(e.getMessage())));
            }
        }
    }

    /**
     * Pages the current window back ({@code -1}) or forward ({@code +1}). Reaching the top of what the
     * window keeps fetches earlier messages of its room from the server.
     */
    private void scroll(int direction) {
        var window = windows.current();
        int page = screen.pageRows();
        if (page <= 0) {
            return;
        }
        int wanted = window.scrolled() - direction * page;
        if (direction < 0) {
            int total = screen.rows(window.lines(marker()));
            if (wanted > total - page && window.kind() != Window.Kind.HOME && !window.historyExhausted()) {
                fetchEarlier(window);
                total = screen.rows(window.lines(marker()));
            }
            wanted = Math.min(wanted, Math.max(0, total - page));
        }
        window.scrolled(Math.max(0, wanted));
        screen.redraw(window.lines(marker()), window.scrolled());
        updateStatus();
    }

    private void fetchEarlier(Window window) {
        long oldest = window.oldestSeq();
        if (oldest <= 1) {
            window.historyExhausted(true);
            return;
        }
        var before = oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
        var events = window.kind() == Window.Kind.DIRECT
                ? client.conversationMessages(identity.token(), window.peer(), before, SCROLLBACK_PAGE)
                : client.messages(identity.token(), window.target(), before, SCROLLBACK_PAGE);
        if (events.isEmpty()) {
            window.historyExhausted(true);
            window.prepend(List.of(view.notice("the beginning of " + window.name())));
            return;
        }
        var lines = new ArrayList<ScreenLine>();
        for (var event : events) {
            window.seen(event.seq());
            if (!isIgnored(event)) {
                lines.addAll(view.render(event, Boolean.TRUE.equals(event.action()), mentionsMe(event)));
            }
        }
        window.prepend(lines);
    }

    // ---- sending ----

    private void send(String text, boolean action) {
        var window = current();
        if (window.kind() == Window.Kind.HOME) {
            say(view.problem("this window is no room: /join ROOM or /query NAME first (Alt-2 or /window 2 goes to the next)"));
            return;
        }
        var target = window.target();
        if (action && window.kind() == Window.Kind.ROOM) {
            ownActions.merge(actionKey(target, text), 1, Integer::sum);
        }
        // Not echoed here: the message appears once, when the stream (or, for a direct one, the server's answer) brings it back.
        outbox.add(window.kind() == Window.Kind.DIRECT
                ? Outbox.Post.direct(identity.token(), window.peer(), text, action)
                : Outbox.Post.of(identity.token(), target, text, action));
        updateStatus();
    }

    private void action(String text) {
        if (text.isEmpty()) {
            say(view.problem("usage: /me TEXT sends an action (* you TEXT); /whoami says who you are"));
            return;
        }
        send(text, true);
    }

    private void message(String argument) {
        var parts = argument.split("\\s+", 2);
        if (parts.length < 2 || !isUserName(parts[0]) || parts[1].isBlank()) {
            say(view.problem("usage: /msg NAME TEXT"));
            return;
        }
        var window = openDirectWindow(parts[0]);
        outbox.add(Outbox.Post.direct(identity.token(), window.peer(), parts[1], false));
        updateStatus();
    }

    private void query(String name) {
        if (!isUserName(name)) {
            say(view.problem("usage: /query NAME opens the window of your direct conversation with NAME"));
            return;
        }
        var window = openDirectWindow(name);
        if (window.oldestSeq() == Long.MAX_VALUE && !window.historyExhausted()) {
            // A new window shows where the conversation stands, as a room's window shows its recent history.
            try {
                fetchEarlier(window);
            } catch (ClientException e) {
                say(view.problem("cannot read the conversation with " + view.sanitizer().line(name) + ": "
                        + view.sanitizer().line(e.getMessage())));
            }
        }
        select(window);
        if (window.kind() == Window.Kind.DIRECT && window.unread() == 0) {
            sayIn(window, view.notice("direct conversation with " + view.sanitizer().line(name)
                    + "; what you type here goes to them alone"));
        }
    }

    private static boolean isUserName(String name) {
        return Names.isValidUserName(name.replaceFirst("^~", "")) || name.toLowerCase(java.util.Locale.ROOT).startsWith("anon-");
    }

    private void ignore(String name) {
        if (name.isEmpty()) {
            say(view.notice(ignored.isEmpty() ? "nobody is ignored" : "ignored: " + String.join(", ", ignored)));
            return;
        }
        if (!Names.isValidUserName(name.replaceFirst("^~", "")) && !name.startsWith("anon-")) {
            say(view.problem("usage: /ignore NAME"));
            return;
        }
        ignored.add(Names.userKey(name.replaceFirst("^~", "")));
        say(view.notice("ignoring " + view.sanitizer().line(name) + "; /unignore " + view.sanitizer().line(name)
                + " shows their messages again"));
    }

    private void unignore(String name) {
        if (ignored.remove(Names.userKey(name.replaceFirst("^~", "")))) {
            say(view.notice("showing the messages of " + view.sanitizer().line(name) + " again"));
        } else {
            say(view.problem(view.sanitizer().line(name) + " is not ignored (/ignore lists who is)"));
        }
    }

    private boolean isIgnored(Event event) {
        return event.kind() == EventType.MESSAGE && ignored.contains(Names.userKey(event.from().name()));
    }

    private boolean isIgnored(User user) {
        return ignored.contains(Names.userKey(user.name()));
    }

    private static String actionKey(String room, String text) {
        return room + "\n" + text;
    }

    /** Whether {@code event} is an action this console sent (and stops expecting it). */
    private boolean claimOwnAction(Event event) {
        if (event.text() == null || !isMe(event.from())) {
            return false;
        }
        var claimed = new boolean[1];
        ownActions.computeIfPresent(actionKey(event.room(), event.text()), (key, count) -> {
            claimed[0] = true;
            return count == 1 ? null : count - 1;
        });
        return claimed[0];
    }

    private boolean isMe(User user) {
        var me = identity.user();
        return user.name().equals(me.name()) && user.kind() == me.kind();
    }

    /** Whether a message names you as {@code @name}, or holds one of the highlight words of the settings. */
    private boolean mentionsMe(Event event) {
        if (event.kind() != EventType.MESSAGE || event.text() == null || isMe(event.from())) {
            return false;
        }
        return Mentions.names(event.text(), identity.user().name()) || settings.highlights(event.text());
    }

    // ---- rooms ----

    private void join(String argument) {
        var parts = argument.split("\\s+", 2);
        var name = Names.roomName(parts[0]);
        if (name.isEmpty()) {
            say(view.problem("usage: /join ROOM [KEY] (letters, digits, - and _, up to 64)"));
            return;
        }
        var room = name.get();
        var existing = read(() -> windows.find(Window.Kind.ROOM, room));
        if (existing.isPresent()) {
            select(existing.get());
            return;
        }
        if (windowsOf(Window.Kind.ROOM).size() >= MAX_ROOMS) {
            say(view.problem("at most " + MAX_ROOMS + " rooms at once (one stream carries them): /part one first"));
            return;
        }
        if (parts.length > 1) {
            try {
                client.join(identity.token(), room, parts[1].strip());
            } catch (ApiError e) {
                say(view.problem("cannot join " + room + ": " + refusal(e)));
                return;
            }
        }
        var window = openRoomWindow(room);
        select(window);
        sayIn(window, view.notice("you are in " + room + "; recent messages follow"));
        knownRooms.add(room);
        try {
            client.members(identity.token(), room).forEach(user -> window.present().add(user.name()));
        } catch (ClientException e) {
            // Completion learns the names from the join events instead.
        }
        follow.add(room, -1);
    }

    /** {@code /part [ROOM]}: closes the current window (or ROOM's), leaving its room. */
    private void part(String argument) {
        var window = current();
        if (!argument.isEmpty()) {
            var named = read(() -> Names.roomName(argument)
                    .flatMap(room -> windows.find(Window.Kind.ROOM, room))
                    .or(() -> windows.find(Window.Kind.DIRECT, argument.replaceFirst("^@", ""))));
            if (named.isEmpty()) {
                say(view.problem("no window on " + view.sanitizer().line(argument) + " (/windows lists them)"));
                return;
            }
            window = named.get();
        }
        if (window.kind() == Window.Kind.HOME) {
            say(view.problem("the home window stays open; /part closes a room's or a conversation's window, /quit quits"));
            return;
        }
        var closing = window;
        screen.atomically(() -> {
            boolean wasCurrent = closing == windows.current();
            windows.remove(closing);
            if (wasCurrent) {
                screen.redraw(windows.current().lines(marker()), windows.current().scrolled());
                screen.prompt(prompt());
            }
        });
        if (closing.kind() == Window.Kind.ROOM) {
            follow.remove(closing.target());
            tellLeft(identity.token(), closing.target());
            say(view.notice("you left " + closing.name()));
        } else {
            say(view.notice("closed the conversation with " + view.sanitizer().line(closing.peer())));
        }
        updateStatus();
    }

    /** Tells the server at once that you left, so others see the leave now. */
    private void tellLeft(String token, String room) {
        try {
            client.leave(token, room);
        } catch (ClientException e) {
            // The server notes the leave by itself after the grace period.
        }
    }

    private void rooms() {
        var rooms = client.rooms(identity.token());
        if (rooms.isEmpty()) {
            say(view.notice("no rooms yet: /join ROOM makes one"));
            return;
        }
        var zone = ZoneId.systemDefault();
        for (var summary : rooms) {
            var name = view.sanitizer().line(summary.name());
            knownRooms.add(summary.name());
            var active = summary.lastActivity() == null ? "-" : ACTIVITY.format(summary.lastActivity().atZone(zone));
            say(ScreenLine.of(String.format("%-24s %4d %s  last active %s", name, summary.members(),
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

    /** The current window's room; empty (and said so) when it is no room's. */
    private Optional<String> currentRoom() {
        var window = current();
        if (window.kind() != Window.Kind.ROOM) {
            say(view.problem("this window is no room's: /join ROOM, or go to a room's window (/windows)"));
            return Optional.empty();
        }
        return Optional.of(window.target());
    }

    private void who() {
        var current = currentRoom();
        if (current.isEmpty()) {
            return;
        }
        var members = client.members(identity.token(), current.get());
        var line = new AttributedStringBuilder().append("in " + current.get() + " (" + members.size() + "): ",
                AttributedStyle.DEFAULT.faint());
        for (int i = 0; i < members.size(); i++) {
            line.append(i == 0 ? "" : ", ").append(view.name(members.get(i)));
        }
        say(new ScreenLine(line.toAttributedString(), 3));
    }

    private void history(String argument) {
        var current = currentRoom();
        if (current.isEmpty()) {
            return;
        }
        int count;
        try {
            count = argument.isEmpty() ? HISTORY_PAGE : Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > 500) {
            say(view.problem("usage: /history [N] with N from 1 to 500"));
            return;
        }
        var window = current();
        long oldest = window.oldestSeq();
        var before = oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
        var events = client.messages(identity.token(), current.get(), before, count);
        if (events.isEmpty()) {
            say(view.notice("no earlier messages in " + current.get()));
            return;
        }
        say(view.notice(events.size() + " earlier events of " + current.get() + ":"));
        for (var event : events) {
            window.seen(event.seq());
            view.render(event).forEach(this::say);
        }
        say(view.notice("end of the earlier events"));
    }

    private void topic(String text) {
        var room = currentRoom();
        if (room.isEmpty()) {
            return;
        }
        try {
            if (text.isEmpty()) {
                var info = client.info(identity.token(), room.get());
                say(view.notice(info.topic() == null || info.topic().isEmpty() ? "no topic in " + room.get()
                        : "topic of " + room.get() + ": " + view.sanitizer().line(info.topic())));
                return;
            }
            client.configure(identity.token(), room.get(), null, null, text);
        } catch (ApiError e) {
            say(view.problem("topic not set: " + refusal(e)));
        }
    }

    private void invite(String name) {
        var room = currentRoom();
        if (room.isEmpty()) {
            return;
        }
        if (!isUserName(name)) {
            say(view.problem("usage: /invite NAME"));
            return;
        }
        try {
            client.invite(identity.token(), room.get(), name);
            say(view.notice("invited " + view.sanitizer().line(name) + " to " + room.get()));
        } catch (ApiError e) {
            say(view.problem(view.sanitizer().line(name) + " not invited: " + refusal(e)));
        }
    }

    private void kick(String argument) {
        var room = currentRoom();
        if (room.isEmpty()) {
            return;
        }
        var parts = argument.split("\\s+", 2);
        if (!isUserName(parts[0])) {
            say(view.problem("usage: /kick NAME [REASON]"));
            return;
        }
        try {
            client.kick(identity.token(), room.get(), parts[0], parts.length > 1 ? parts[1] : null);
        } catch (ApiError e) {
            say(view.problem(view.sanitizer().line(parts[0]) + " not kicked: " + refusal(e)));
        }
    }

    private void ban(String argument) {
        var room = currentRoom();
        if (room.isEmpty()) {
            return;
        }
        var parts = argument.split("\\s+", 3);
        if (!isUserName(parts[0])) {
            say(view.problem("usage: /ban NAME [MINUTES] [REASON]"));
            return;
        }
        Long minutes = null;
        String reason = null;
        if (parts.length > 1) {
            if (parts[1].matches("[0-9]{1,7}")) {
                minutes = Long.parseLong(parts[1]);
                reason = parts.length > 2 ? parts[2] : null;
            } else {
                reason = argument.substring(parts[0].length()).strip();
            }
        }
        try {
            client.ban(identity.token(), room.get(), parts[0], minutes, reason);
        } catch (ApiError e) {
            say(view.problem(view.sanitizer().line(parts[0]) + " not banned: " + refusal(e)));
        }
    }

    private void key(String key) {
        var room = currentRoom();
        if (room.isEmpty()) {
            return;
        }
        if (key.isEmpty()) {
            say(view.problem("usage: /key KEY sets the room's key, /key off removes it"));
            return;
        }
        try {
            var info = client.info(identity.token(), room.get());
            boolean invites = info.access() != null && info.access().needsInvitation();
            if (key.equalsIgnoreCase("off")) {
                client.configure(identity.token(), room.get(), invites ? Access.INVITE : Access.OPEN, null, null);
                say(view.notice(room.get() + " needs no key now"));
            } else {
                client.configure(identity.token(), room.get(), invites ? Access.INVITE_AND_KEY : Access.KEY, key, null);
                say(view.notice(room.get() + " needs the key now: /join " + room.get() + " KEY"));
            }
        } catch (ApiError e) {
            say(view.problem("key not changed: " + refusal(e)));
        }
    }

    private void operator(String name, boolean make) {
        var room = currentRoom();
        if (room.isEmpty()) {
            return;
        }
        if (!isUserName(name)) {
            say(view.problem(make ? "usage: /op NAME" : "usage: /deop NAME"));
            return;
        }
        try {
            if (make) {
                client.addOperator(identity.token(), room.get(), name);
                say(view.notice(view.sanitizer().line(name) + " is an operator of " + room.get()));
            } else {
                client.removeOperator(identity.token(), room.get(), name);
                say(view.notice(view.sanitizer().line(name) + " is no operator of " + room.get() + " any more"));
            }
        } catch (ApiError e) {
            say(view.problem("operators not changed: " + refusal(e)));
        }
    }

    private void delete(String argument) {
        var room = currentRoom();
        if (room.isEmpty()) {
            return;
        }
        long seq;
        if (argument.isEmpty()) {
            var last = lastOwn.get(room.get());
            if (last == null) {
                say(view.problem("you sent nothing here since you started; /delete SEQ deletes message SEQ"));
                return;
            }
            seq = last;
        } else if (argument.matches("[0-9]{1,18}")) {
            seq = Long.parseLong(argument);
        } else {
            say(view.problem("usage: /delete [SEQ]"));
            return;
        }
        try {
            client.delete(identity.token(), room.get(), seq);
            lastOwn.remove(room.get(), seq);
        } catch (ApiError e) {
            say(view.problem("not deleted: " + refusal(e)));
        }
    }

    /** What the server's refusal means for the user, in words. */
    private static String refusal(ApiError e) {
        return switch (e.errorCode().orElse(ErrorCode.INVALID_REQUEST)) {
            case FORBIDDEN -> e.getMessage() + " (only the room's owner or an operator may do that here)";
            case REGISTRATION_REQUIRED -> e.getMessage() + " (/login NAME with a password first)";
            case NOT_REGISTERED -> e.getMessage() + " (only registered users can be invited or made operators)";
            case WRONG_KEY -> e.getMessage() + " (/join ROOM KEY with the right key)";
            default -> e.getMessage();
        };
    }

    /**
     * {@code /login NAME}. The server gives a name alone (a temporary user) only when nobody holds it,
     * and refuses it with {@code invalid_credentials} when it is taken; asking for the name alone tells
     * the console whether a password would log in or create an account, so that a new account's
     * password is asked for twice and a registered name's owner is asked for the password.
     */
    private void login(String name) {
        if (!Names.isValidUserName(name)) {
            say(view.problem("usage: /login NAME (2 to 32 of A-Z a-z 0-9 _ -, not starting with anon-)"));
            return;
        }
        var password = screen.readSecret("password for " + name + " (empty: temporary user): ");
        if (password == null) {
            say(view.notice("login cancelled"));
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
                say(view.notice(name + " belongs to a registered account (or a temporary user now in use)"));
                password = screen.readSecret("password for " + name + " (empty: cancel): ");
                if (password == null || password.isEmpty()) {
                    say(view.notice("login cancelled"));
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
            say(view.problem("the passwords differ; no account created, you are still "
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
        say(view.problem("login refused: " + e.getMessage() + "; you are still " + describe(identity.user())));
    }

    private void finishLogin(TokenResponse response) {
        if (Boolean.TRUE.equals(response.created())) {
            say(view.notice("account " + view.sanitizer().line(response.user().name()) + " created"));
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
        try {
            client.logout(old.token());
        } catch (ApiError e) {
            // Already expired or revoked: logged out either way.
        }
        tokens.load(client.server()).filter(saved -> saved.token().equals(old.token()))
                .ifPresent(saved -> tokens.remove(client.server()));
        switchTo(old, fresh);
        say(view.notice("logged out; you are now " + describe(fresh.user())));
    }

    /** Switches user; the rooms are left as the old user and entered as the new one, from where they were. */
    private void become(Identity next) {
        switchTo(identity, next);
        say(view.notice("you are " + describe(next.user())));
    }

    private void switchTo(Identity old, Identity next) {
        var rooms = new LinkedHashMap<String, Long>();
        for (var window : windowsOf(Window.Kind.ROOM)) {
            rooms.put(window.target(), follow.lastSeq(window.target()));
        }
        follow.close();
        rooms.keySet().forEach(room -> tellLeft(old.token(), room));
        identity = next;
        connection = null;
        follow = startFollow(personalCursor());
        rooms.forEach(follow::add);
        updateStatus();
    }

    private void help() {
        for (var command : SlashCommand.values()) {
            say(new ScreenLine(new AttributedString(String.format("%-24s %s", command.usage(), command.help())), 25));
        }
        say(new ScreenLine(new AttributedString(String.format("%-24s %s", "//text", "send a line that starts with /")), 25));
        say(new ScreenLine(new AttributedString(String.format("%-24s %s", "text",
                "send text to the current window's room or conversation")), 25));
        say(new ScreenLine(new AttributedString(String.format("%-24s %s", "Alt-1..9, Alt-Left/Right",
                "go to another window; PageUp/PageDown page through this one")), 25));
    }

    private void showEvent(Event event) {
        screen.atomically(() -> {
            var found = windows.find(Window.Kind.ROOM, event.room());
            if (found.isEmpty()) {
                return;
            }
            var window = found.get();
            window.seen(event.seq());
            switch (event.kind()) {
                case JOIN -> window.present().add(event.from().name());
                case LEAVE -> window.present().remove(event.from().name());
                default -> {
                }
            }
            boolean action = claimOwnAction(event) || Boolean.TRUE.equals(event.action());
            if (isIgnored(event)) {
                return;
            }
            boolean mention = mentionsMe(event);
            boolean counts = event.kind() == EventType.MESSAGE || event.kind() == EventType.TOPIC
                    || event.kind() == EventType.KICK || event.kind() == EventType.BAN;
            add(window, view.render(event, action, mention), counts, mention);
            if (mention) {
                screen.bell();
            }
        });
        updateStatus();
    }

    /** A direct message, an invitation, a kick or a ban: for you alone, shown wherever you are. */
    private void showPersonal(PersonalEvent item) {
        if (isIgnored(item.from())) {
            return;
        }
        var from = view.sanitizer().line(item.from().name());
        var room = view.sanitizer().line(item.room());
        switch (item.kind()) {
            case DM -> {
                var window = openDirectWindow(item.from().name());
                var message = new Event(EventType.MESSAGE, item.room(), item.seq() == null ? 0 : item.seq(), item.at(),
                        item.from(), item.text(), item.action());
                screen.atomically(() -> add(window, view.render(message, Boolean.TRUE.equals(item.action()), false),
                        true, true));
                screen.bell();
            }
            case MENTION -> {
                if (read(() -> windows.find(Window.Kind.ROOM, item.room()).isPresent())) {
                    // The room's own window shows it, highlighted.
                    return;
                }
                var home = homeWindow();
                var message = new Event(EventType.MESSAGE, item.room(), item.seq() == null ? 0 : item.seq(), item.at(),
                        item.from(), item.text(), item.action());
                screen.atomically(() -> {
                    add(home, List.of(view.notice("in " + room + " (/join " + room + "):")), true, true);
                    add(home, view.render(message, Boolean.TRUE.equals(item.action()), true), true, true);
                });
                screen.bell();
            }
            case INVITE -> screen.atomically(() -> add(homeWindow(),
                    List.of(view.notice(from + " invited you to " + room + ": /join " + room)), true, true));
            case KICK -> screen.atomically(() -> add(homeWindow(),
                    List.of(view.notice(from + " removed you from " + room)), true, true));
            case BAN -> screen.atomically(() -> add(homeWindow(),
                    List.of(view.notice(from + " banned you from " + room)), true, true));
        }
        updateStatus();
    }

    private Window homeWindow() {
        return read(() -> windows.get(1).orElseThrow());
    }

    private String describe(User user) {
        var kind = user.kind().wireName();
        return view.name(user).toString() + " (" + kind + ")";
    }

    private String prompt() {
        var window = current();
        return window.kind() == Window.Kind.HOME ? "> " : window.name() + "> ";
    }

    private void updateStatus() {
        if (screen == null) {
            return;
        }
        screen.atomically(() -> {
            var window = windows.current();
            var user = identity == null ? null : identity.user();
            var state = connection;
            var line = new AttributedStringBuilder().style(AttributedStyle.INVERSE)
                    .append(" ").append(client.server().toString())
                    .append(" | ").append(user == null ? "-" : describe(user))
                    .append(" | ").append(window.kind() == Window.Kind.HOME ? "no room" : view.sanitizer().line(window.name()))
                    .append(" | ").append(state == null ? "-" : state.describe());
            var activity = windows.activity();
            if (!activity.isEmpty()) {
                line.append(" | ").append(view.sanitizer().line(activity));
            }
            if (window.scrolled() > 0) {
                line.append(" | scrolled back (PageDown)");
            }
            int unsent = outbox == null ? 0 : outbox.unsent();
            if (unsent > 0) {
                line.append(" | ").append(unsent + " pending");
            }
            line.append(" ");
            screen.status(line.toAttributedString());
        });
    }

    /** What the stream brings, on the follower's thread. */
    private final class Listener implements RoomsFollow.Listener {
        @Override
        public void onEvent(Event event) {
            if (connection instanceof ConnectionState.Reconnecting) {
                shownWhileAway.incrementAndGet();
            }
            showEvent(event);
        }

        @Override
        public void onPersonal(PersonalEvent item) {
            showPersonal(item);
        }

        @Override
        public void onRefused(String room, ApiError error) {
            screen.atomically(() -> windows.find(Window.Kind.ROOM, room).ifPresent(window -> add(window,
                    List.of(view.problem("no longer in " + room + ": " + view.sanitizer().line(refusal(error)))),
                    true, true)));
            updateStatus();
        }

        @Override
        public void onState(ConnectionState state) {
            var before = connection;
            connection = state;
            switch (state) {
                case ConnectionState.Reconnecting r when before instanceof ConnectionState.Connected -> {
                    shownWhileAway.set(0);
                    say(view.notice("connection lost (" + view.sanitizer().line(r.reason()) + "); reconnecting"));
                }
                case ConnectionState.Connected c when before instanceof ConnectionState.Reconnecting -> {
                    long away = shownWhileAway.getAndSet(0);
                    say(view.notice(away == 0 ? "reconnected; nothing was missed"
                            : "reconnected; the " + (away == 1 ? "event" : away + " events")
                                    + " above came while away; nothing was missed"));
                }
                case ConnectionState.Offline o ->
                        say(view.problem("stopped following: " + view.sanitizer().line(o.cause().getMessage())));
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
            say(view.notice("pending, sent when the server takes it (" + view.sanitizer().line(reason)
                    + "): " + view.sanitizer().line(post.text())));
            updateStatus();
        }

        @Override
        public void sent(Outbox.Post post, Event event) {
            if (post.isDirect()) {
                // Your own direct messages are not in your personal stream: the answer is what shows them.
                var window = openDirectWindow(post.room().substring(1));
                screen.atomically(() -> add(window, view.render(event, post.action(), false), false, false));
            } else if (event != null) {
                lastOwn.put(post.room(), event.seq());
            }
            updateStatus();
        }

        @Override
        public void refused(Outbox.Post post, ApiError error) {
            if (post.action() && !post.isDirect()) {
                ownActions.computeIfPresent(actionKey(post.room(), post.text()), (key, count) -> count == 1 ? null : count - 1);
            }
            say(view.problem("not sent: " + view.sanitizer().line(refusal(error)) + ": "
                    + view.sanitizer().line(post.text())));
            updateStatus();
        }
    }
}
