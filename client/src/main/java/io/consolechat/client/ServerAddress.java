package io.consolechat.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * The server a client talks to: its base URI, always ending in {@code /} so that API paths resolve
 * under it (a server behind a proxy at {@code https://host/chat/} works too).
 */
public record ServerAddress(URI base) {
    public static final String DEFAULT = "http://localhost:8080";
    public static final String ENVIRONMENT_VARIABLE = "CONSOLE_CHAT_SERVER";

    public ServerAddress {
        var scheme = base.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || base.getHost() == null) {
            throw new IllegalArgumentException("the server must be an http:// or https:// URL with a host: " + base);
        }
        if (!base.getRawPath().endsWith("/")) {
            base = URI.create(base + "/");
        }
    }

    /** Parses what a user typed; {@code localhost:8080} means {@code http://localhost:8080}. */
    public static ServerAddress parse(String text) {
        var trimmed = text.strip();
        if (!trimmed.contains("://")) {
            trimmed = "http://" + trimmed;
        }
        try {
            var uri = new URI(trimmed);
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("the server URL takes no query or fragment: " + text);
            }
            return new ServerAddress(uri.getRawPath().isEmpty() ? uri.resolve("/") : uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text);
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

    public URI resolve(String relativePath) {
        return base.resolve(relativePath);
    }

    /** The key logins are saved under, and the form shown to people: no trailing slash. */
    @Override
    public String toString() {
        var text = base.toString();
        return text.substring(0, text.length() - 1);
    }
}
