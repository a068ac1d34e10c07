package io.consolechat.server.store;

import io.consolechat.server.error.StoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a PostgreSQL database is, as people write it: the libpq URI form
 * {@code postgresql://user:password@host:port/db?params} ({@code postgres://} too), or a JDBC URL
 * {@code jdbc:postgresql://host:port/db?params}. The password may come from the URL or be given apart
 * (an environment variable or a file); {@link #toString()} never shows it.
 */
public record PostgresUrl(String jdbcUrl, String user, String password, String display) {

    /** Whether {@code url} names a PostgreSQL database (rather than, say, a typo of one). */
    public static boolean isPostgres(String url) {
        return url.startsWith("postgresql://") || url.startsWith("postgres://") || url.startsWith("jdbc:postgresql://");
    }

    /** Parses {@code url}; {@code password} (may be null) is used when the URL carries none. */
    public static PostgresUrl parse(String url, String password) {
        if (!isPostgres(url)) {
            throw new StoreException("the database URL must start with postgresql:// (or jdbc:postgresql://)");
        }
        URI uri;
        try {
            uri = new URI(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        } catch (URISyntaxException e) {
            throw new StoreException("the database URL is malformed: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new StoreException("the database URL names no host");
        }
        String user = null;
        String urlPassword = null;
        if (uri.getRawUserInfo() != null) {
            var info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            urlPassword = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        var hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        var path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        var query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        var jdbc = "jdbc:postgresql://" + hostPort + path + query;
        var display = "postgresql://" + (user == null ? "" : user + "@") + hostPort + path;
        return new PostgresUrl(jdbc, user, urlPassword != null ? urlPassword : password, display);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return display;
    }
}
