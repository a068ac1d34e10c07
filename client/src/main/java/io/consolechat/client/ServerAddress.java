package io.consolechat.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server a client talks to: one base URI, or several of servers that share one database, tried in
 * order when one cannot be reached or answers 503. Each base ends in {@code /} so that API paths resolve
 * under it (a server behind a proxy at {@code https://host/chat/} works too).
 */
public record ServerAddress(List<URI> bases) {
    public static final String DEFAULT = "http://localhost:8080";
    public static final String ENVIRONMENT_VARIABLE = "CONSOLE_CHAT_SERVER";

    public ServerAddress {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no server URL");
        }
        var checked = new ArrayList<URI>();
        for (var base : bases) {
            var scheme = base.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || base.getHost() == null) {
                throw new IllegalArgumentException("the server must be an http:// or https:// URL with a host: " + base);
            }
            checked.add(base.getRawPath().endsWith("/") ? base : URI.create(base + "/"));
        }
        bases = List.copyOf(checked);
    }

    public ServerAddress(URI base) {
        this(List.of(base));
    }

    /**
     * Parses what a user typed: one URL, or several separated by commas; {@code localhost:8080} means
     * {@code http://localhost:8080}.
     */
    public static ServerAddress parse(String text) {
        var bases = new ArrayList<URI>();
        for (var part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("an empty server URL in: " + text);
            }
            bases.add(parseOne(part));
        }
        return new ServerAddress(bases);
    }

    private static URI parseOne(String text) {
        var trimmed = text.strip();
        if (!trimmed.contains("://")) {
            trimmed = "http://" + trimmed;
        }
        try {
            var uri = new URI(trimmed);
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("the server URL takes no query or fragment: " + text.strip());
            }
            return uri.getRawPath().isEmpty() ? uri.resolve("/") : uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text.strip());
        }
    }

    /** {@code --server}, else {@code CONSOLE_CHAT_SERVER}, else {@code http://localhost:8080}. */
    public static ServerAddress choose(String option, Map<String, String> environment) {
        if (option != null && !option.isBlank()) {
            return parse(option);
        }
        var fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        return parse(fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT : fromEnvironment);
    }

    /** The first server's URL. */
    public URI base() {
        return bases.getFirst();
    }

    /** {@code relativePath} on the first server. */
    public URI resolve(String relativePath) {
        return base().resolve(relativePath);
    }

    /**
     * The key logins are saved under, and the form shown to people: each URL without its trailing slash,
     * separated by commas.
     */
    @Override
    public String toString() {
        var texts = new ArrayList<String>();
        for (var base : bases) {
            var text = base.toString();
            texts.add(text.substring(0, text.length() - 1));
        }
        return String.join(",", texts);
    }
}
