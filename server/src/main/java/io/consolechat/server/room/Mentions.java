package io.consolechat.server.room;

import io.consolechat.protocol.Event;
import io.consolechat.protocol.Names;
import io.consolechat.protocol.PersonalEvent;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.store.AccountStore;
import io.consolechat.server.store.BlockList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells users when a message in a room names them as {@code @name}: case-insensitive, and only as a word of
 * its own ({@code @bob} in "hi @bob!" but not in "me@bobby" or "@bobby"). Names that are nobody's, the
 * sender's own, and those of users who block the sender are skipped; at most {@value #MAX_PER_MESSAGE}
 * users are told per message.
 */
public final class Mentions {
    private static final Logger log = LoggerFactory.getLogger(Mentions.class);
    static final int MAX_PER_MESSAGE = 20;
    private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9_@-])@([A-Za-z0-9_-]{2,32})(?![A-Za-z0-9_-])");

    private final AccountStore accounts;
    private final BlockList blocks;
    private final PersonalEvents personal;

    public Mentions(AccountStore accounts, BlockList blocks, PersonalEvents personal) {
        this.accounts = accounts;
        this.blocks = blocks;
        this.personal = personal;
    }

    /** The case-folded names a text mentions, in order, each once. */
    static Set<String> named(String text) {
        var names = new LinkedHashSet<String>();
        var matcher = MENTION.matcher(text);
        while (matcher.find() && names.size() < MAX_PER_MESSAGE) {
            names.add(Names.userKey(matcher.group(1)));
        }
        return names;
    }

    void notice(Event message) {
        var sender = Names.userKey(message.from().name());
        for (var name : named(message.text())) {
            if (name.equals(sender)) {
                continue;
            }
            try {
                var user = accounts.userByName(name);
                if (user.isPresent() && !blocks.blocks(name, sender)) {
                    personal.notify(user.get().name(), PersonalEvent.about(PersonalEvent.Kind.MENTION, message));
                }
            } catch (StoreException e) {
                // The message is stored; failing the send now would make the sender post it twice.
                log.warn("a mention of {} in {} was not stored: {}", name, message.room(), e.getMessage());
            }
        }
    }
}
