package io.consolechat.client.cli;

import io.consolechat.client.ApiError;
import io.consolechat.client.ChatClient;
import io.consolechat.client.ClientException;
import io.consolechat.client.ServerAddress;
import io.consolechat.client.TokenStore;
import io.consolechat.protocol.Json;
import io.consolechat.protocol.Names;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the client commands share: the server options, the saved logins, and turning failures into
 * one readable line on stderr and the exit code scripts rely on.
 */
@Command(exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (also when standard output is closed by its reader, as `| head` does)",
                "1:usage error", "2:server unreachable", "3:authentication refused",
                "4:request refused (the server's message on stderr)"})
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    ServerOptions serverOptions;

    @Spec
    CommandSpec spec;

    final ClientEnvironment environment;
    // One codec per run: an ObjectMapper is the costliest thing a short command builds.
    private final Json json = new Json();

    ClientCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    /** A usage error found after parsing (a bad room name, say): one line on stderr, exit code 1. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Standard output was closed by its reader (a pipe into {@code head}, a pager that quit): nobody
     * reads what follows, so the command stops, successfully, as other tools at the head of a pipe do.
     */
    static final class OutputClosed extends RuntimeException {
        OutputClosed() {
            super("standard output closed", null, false, false);
        }
    }

    /** The command's work; returns the exit code. */
    abstract int execute();

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (OutputClosed e) {
            return ExitCode.OK;
        } catch (ClientException e) {
            fail(e instanceof ApiError api && !ApiError.BAD_RESPONSE.equals(api.code())
                    ? e.getMessage() + " (" + api.code() + ")"
                    : e.getMessage());
            return ExitCode.of(e);
        } catch (UsageError e) {
            fail(e.getMessage() + " (see console-chat " + spec.name() + " --help)");
            return ExitCode.USAGE;
        } catch (UncheckedIOException e) {
            fail(e.getMessage());
            return ExitCode.USAGE;
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints one line to standard output at once; throws {@link OutputClosed} when nobody reads it any more. */
    void print(String line) {
        var out = out();
        out.println(line);
        // checkError flushes; the environment tells about the process's stdout, whose errors the JDK hides.
        if (out.checkError() || environment.stdoutFailed().getAsBoolean()) {
            throw new OutputClosed();
        }
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void fail(String message) {
        err().println("console-chat " + spec.name() + ": " + message);
        err().flush();
    }

    ServerAddress server() {
        try {
            return ServerAddress.choose(serverOptions.server, environment.variables());
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    ChatClient client() {
        if (serverOptions.insecure) {
            err().println("console-chat: warning: --insecure: the server's TLS certificate and host name are not checked");
            err().flush();
        }
        return ChatClient.create(server(), serverOptions.insecure, json);
    }

    TokenStore tokens() {
        return new TokenStore(TokenStore.directory(environment.variables()), json);
    }

    /**
     * The saved login's token for this server, else a new anonymous one. A saved login that has
     * expired is an authentication failure rather than a silent switch to anonymous: a script that
     * posts as a user must not start posting as someone else.
     */
    String token(ChatClient client) {
        var saved = tokens().load(client.server());
        if (saved.isEmpty()) {
            return client.session().token();
        }
        if (saved.get().isExpired(Instant.now())) {
            throw new ApiError(401, "unauthorized", "the saved login for " + client.server()
                    + " has expired: log in again, or log out to continue anonymously");
        }
        return saved.get().token();
    }

    String room(String raw) {
        return Names.roomName(raw).orElseThrow(() -> new UsageError("not a room name: '" + raw + "' (letters, digits, - and _, up to 64, starting with a letter or digit)"));
    }
}
