package io.consolechat.server.http;

import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.config.Tls;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The socket the server listens on: plain HTTP or HTTPS, with the idle timeout, the header deadline and
 * the size limit of request line and headers.
 */
public final class HttpConnector {
    private static final int ACCEPT_QUEUE = 1024;

    private final ServerConfig.Network network;
    private final Tls tls;

    public HttpConnector(ServerConfig.Network network) {
        this.network = network;
        this.tls = network.tls;
    }

    public boolean secure() {
        return !(tls instanceof Tls.Off);
    }

    /** Limits that apply to every connection, whatever the connector. */
    public void configure(HttpConfiguration http) {
        http.setRequestHeaderSize(network.maxHeaderBytes);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty reuses header values seen earlier on a keep-alive connection and, by default, matches them
        // ignoring case: a token differing from an earlier one only in case would pass as the earlier one.
        http.setHeaderCacheCaseSensitive(true);
        // And each connection's cache of header values is a trie of about 38 KB once its first request is
        // parsed, kept for as long as the connection lives: 380 MB of a 512 MiB heap for 10,000 open
        // streams. Parsing a header without it costs a small object per header.
        http.setHeaderCacheSize(0);
    }

    public ServerConnector connector(Server server, HttpConfiguration http) {
        var plain = new HttpConnectionFactory(http);
        ServerConnector connector;
        if (secure()) {
            // Host names are not checked against the certificate, so that an IP address or a name the
            // certificate does not list still works; the client decides whether it trusts the certificate.
            http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
            var tlsFactory = new SslConnectionFactory(sslContext(), HttpVersion.HTTP_1_1.asString());
            connector = new ServerConnector(server, tlsFactory, plain);
        } else {
            connector = new ServerConnector(server, plain);
        }
        connector.setHost(network.host);
        connector.setPort(network.port);
        connector.setIdleTimeout(network.idleTimeout.toMillis());
        // Connections the kernel has completed but Jetty has not yet accepted wait here. Java's default of 50
        // overflows when a few hundred clients connect at once (streams reconnecting after a restart), and
        // the kernel then drops the next SYNs: those clients, and a health check among them, retry only
        // after a second. The kernel caps this at net.core.somaxconn.
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.addBean(new HeaderDeadline(network.headerTimeout, connector.getScheduler()));
        return connector;
    }

    private SslContextFactory.Server sslContext() {
        var keys = KeyMaterial.load(tls);
        var context = new SslContextFactory.Server();
        context.setKeyStore(keys.keyStore());
        context.setKeyStorePassword(keys.password());
        context.setKeyManagerPassword(keys.password());
        context.setSniRequired(false);
        return context;
    }
}
