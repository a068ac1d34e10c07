package io.consolechat.client.console;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: the slash commands, room names after {@code /join}, and at the start of a line the
 * names of the people in the room, with {@code ": "} after them (addressing someone, as on IRC).
 */
final class CommandCompleter implements Completer {
    private final Supplier<Collection<String>> rooms;
    private final Supplier<Collection<String>> people;

    CommandCompleter(Supplier<Collection<String>> rooms, Supplier<Collection<String>> people) {
        this.rooms = rooms;
        this.people = people;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0 && line.word().startsWith("/")) {
            for (var command : SlashCommand.values()) {
                candidates.add(new Candidate(command.word(), command.word(), null, command.help(), null, null, true));
            }
        } else if (line.wordIndex() == 1 && SlashCommand.JOIN.word().equals(line.words().getFirst())) {
            for (var room : rooms.get()) {
                candidates.add(new Candidate(room));
            }
        } else if (line.wordIndex() == 0) {
            for (var name : people.get()) {
                // Complete: JLine adds the space after the colon.
                candidates.add(new Candidate(name + ":", name, null, null, null, null, true));
            }
        }
    }
}
