package io.consolechat.client.cli;

import picocli.CommandLine.Option;

/** The options every client command takes: which server, and whether to accept any certificate. */
public final class ServerOptions {
    @Option(names = "--server", paramLabel = "URL",
            description = "Server URL, or several of servers sharing one database separated by commas, tried in turn "
                    + "when one is unreachable or answers 503 (else env CONSOLE_CHAT_SERVER, likewise; else "
                    + "http://localhost:8080).")
    String server;

    @Option(names = "--insecure",
            description = "Accept any TLS certificate and host name (a self-signed certificate); prints a warning.")
    boolean insecure;
}
