package io.consolechat.server.http;

import io.consolechat.server.Limits;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The socket the server listens on, with the idle timeout, the header deadline and the size limit of
 * request line and headers.
 */
public final class Listener {
    private final String host;
    private final int port;
    private final Limits limits;

    public Listener(String host, int port, Limits limits) {
        this.host = host;
        this.port = port;
        this.limits = limits;
    }

    /** Limits that apply to every connection, whatever the connector. */
    public void configure(HttpConfiguration http) {
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
    }

    public ServerConnector connector(Server server, HttpConfiguration http) {
        var connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.addBean(new HeaderDeadline(limits.headerTimeout(), connector.getScheduler()));
        return connector;
    }
}
