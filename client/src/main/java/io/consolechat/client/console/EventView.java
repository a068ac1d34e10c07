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
 * join and leave lines dimmed, further lines of a message indented under the first. Everything that
 * came from the server goes through the {@link Sanitizer}.
 */
public final class EventView {
    /** Lines of one message shown at most; the rest is summarised. */
    static final int MAX_LINES = 40;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();

    private final Sanitizer sanitizer;
    private final ZoneId zone;
    private final boolean color;

    /** @param color false honours NO_COLOR: no colors, only dim and bold */
    public EventView(Sanitizer sanitizer, ZoneId zone, boolean color) {
        this.sanitizer = sanitizer;
        this.zone = zone;
        this.color = color;
    }

    public Sanitizer sanitizer() {
        return sanitizer;
    }

    /** The event as one or more screen lines. */
    public List<AttributedString> render(Event event) {
        var time = TIME.format(event.at().atZone(zone));
        var room = sanitizer.line(event.room());
        return switch (event.kind()) {
            case JOIN -> List.of(dimLine(time + " --> ", event.from(), " joined " + room));
            case LEAVE -> List.of(dimLine(time + " <-- ", event.from(), " left " + room));
            case MESSAGE -> Boolean.TRUE.equals(event.deleted())
                    ? List.of(dimLine(time + " ", event.from(), ": (deleted)"))
                    : message(time, event);
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

    private List<AttributedString> message(String time, Event event) {
        var first = new AttributedStringBuilder().append(time + " ", DIM).append(name(event.from())).append(": ");
        int indent = first.length();
        var lines = sanitizer.lines(event.text(), MAX_LINES);
        var out = new ArrayList<AttributedString>(lines.size());
        out.add(first.append(lines.getFirst()).toAttributedString());
        for (var line : lines.subList(1, lines.size())) {
            out.add(new AttributedString(" ".repeat(indent) + line));
        }
        return out;
    }

    private AttributedString dimLine(String before, User user, String after) {
        return new AttributedStringBuilder().append(before, DIM).append(name(user).toString(), DIM)
                .append(after, DIM).toAttributedString();
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
    public AttributedString notice(String text) {
        return new AttributedString("-- " + text, DIM);
    }

    /** A problem to point out: bold, red when colors are on. */
    public AttributedString problem(String text) {
        var style = AttributedStyle.DEFAULT.bold();
        return new AttributedString("!! " + text, color ? style.foreground(AttributedStyle.RED) : style);
    }

    private AttributedStyle colored(String name) {
        return color ? AttributedStyle.DEFAULT.foreground(NameColors.of(name)) : AttributedStyle.DEFAULT;
    }
}
