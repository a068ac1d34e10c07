package io.consolechat.client.console;

import io.consolechat.client.Sanitizer;
import io.consolechat.protocol.Event;
import io.consolechat.protocol.User;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * How events and users look on screen: {@code HH:mm name: text}, names in their stable color,
 * temporary users as {@code ~name} and anonymous ones dimmed (so nobody passes as a registered user),
 * join and leave lines dimmed, actions as {@code * name waves}, further lines of a message indented under
 * the first. Messages are shown whole: the server caps their length. Everything that came from the server
 * goes through the {@link Sanitizer}.
 */
public final class EventView {
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();

    private final Sanitizer sanitizer;
    private final ZoneId zone;
    private final boolean color;
    private final DateTimeFormatter time;

    /** @param color false honours NO_COLOR: no colors, only dim and bold */
    public EventView(Sanitizer sanitizer, ZoneId zone, boolean color) {
        this(sanitizer, zone, color, "HH:mm");
    }

    /** @param timeFormat the {@link DateTimeFormatter} pattern of the time before each event */
    public EventView(Sanitizer sanitizer, ZoneId zone, boolean color, String timeFormat) {
        this.sanitizer = sanitizer;
        this.zone = zone;
        this.color = color;
        this.time = DateTimeFormatter.ofPattern(timeFormat);
    }

    public Sanitizer sanitizer() {
        return sanitizer;
    }

    /** The event as one or more screen lines. */
    public List<ScreenLine> render(Event event) {
        return render(event, Boolean.TRUE.equals(event.action()));
    }

    /** The event, shown as an action when {@code action} (the console knows its own actions before the server does). */
    public List<ScreenLine> render(Event event, boolean action) {
        return render(event, action, false);
    }

    /** As {@link #render(Event, boolean)}; a {@code mention} of the reader is highlighted. */
    public List<ScreenLine> render(Event event, boolean action, boolean mention) {
        var time = this.time.format(event.at().atZone(zone));
        var room = sanitizer.line(event.room());
        return switch (event.kind()) {
            case JOIN -> List.of(dimLine(time + " --> ", event.from(), " joined " + room));
            case LEAVE -> List.of(dimLine(time + " <-- ", event.from(), " left " + room));
            case MESSAGE -> Boolean.TRUE.equals(event.deleted())
                    ? List.of(dimLine(time + " ", event.from(), ": (deleted)"))
                    : message(time, event, action, mention);
            case TOPIC -> List.of(dimLine(time + " -!- ", event.from(),
                    " set the topic: " + sanitizer.line(event.text() == null ? "" : event.text())));
            case KICK -> List.of(dimLine(time + " <-- ", event.from(), " kicked " + target(event)));
            case BAN -> List.of(dimLine(time + " <-- ", event.from(), " banned " + target(event)));
            case UNBAN -> List.of(dimLine(time + " -!- ", event.from(), " lifted the ban of " + target(event)));
            case DELETE -> List.of(dimLine(time + " -!- ", event.from(), " deleted message " + event.target()));
        };
    }

    private String target(Event event) {
        var who = event.user() == null ? "?" : sanitizer.line(event.user().name());
        return event.reason() == null ? who : who + " (" + sanitizer.line(event.reason()) + ")";
    }

    private List<ScreenLine> message(String time, Event event, boolean action, boolean mention) {
        var first = new AttributedStringBuilder().append(time + " ", DIM);
        if (action) {
            first.append("* ").append(name(event.from())).append(" ");
        } else {
            first.append(name(event.from())).append(": ");
        }
        int indent = first.columnLength();
        var lines = sanitizer.lines(event.text());
        // A mention stands out without color too (NO_COLOR): bold and reversed.
        var text = mention ? (color ? AttributedStyle.DEFAULT.bold().foreground(AttributedStyle.YELLOW)
                : AttributedStyle.DEFAULT.bold().inverse()) : AttributedStyle.DEFAULT;
        var out = new ArrayList<ScreenLine>(lines.size());
        out.add(new ScreenLine(first.append(lines.getFirst(), text).toAttributedString(), indent));
        for (var line : lines.subList(1, lines.size())) {
            out.add(new ScreenLine(new AttributedStringBuilder().append(" ".repeat(indent)).append(line, text)
                    .toAttributedString(), indent));
        }
        return out;
    }

    private ScreenLine dimLine(String before, User user, String after) {
        var line = new AttributedStringBuilder().append(before, DIM).append(name(user).toString(), DIM)
                .append(after, DIM).toAttributedString();
        return new ScreenLine(line, before.length());
    }

    /** A user's name as shown everywhere: {@code name}, {@code ~name} (temporary), dimmed (anonymous). */
    public AttributedString name(User user) {
        var shown = sanitizer.line(user.name());
        return switch (user.kind()) {
            case REGISTERED -> new AttributedString(shown, colored(shown).bold());
            case TEMPORARY -> new AttributedString("~" + shown, colored(shown));
            case ANONYMOUS -> new AttributedString(shown, DIM);
        };
    }

    /** A line from the client itself (not from the server): dimmed. */
    public ScreenLine notice(String text) {
        return new ScreenLine(new AttributedString("-- " + text, DIM), 3);
    }

    /** A problem to point out: bold, red when colors are on. */
    public ScreenLine problem(String text) {
        var style = AttributedStyle.DEFAULT.bold();
        return new ScreenLine(new AttributedString("!! " + text, color ? style.foreground(AttributedStyle.RED) : style), 3);
    }

    private AttributedStyle colored(String name) {
        return color ? AttributedStyle.DEFAULT.foreground(NameColors.of(name)) : AttributedStyle.DEFAULT;
    }
}
