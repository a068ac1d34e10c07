package io.consolechat.client.cli;

import io.consolechat.client.ApiError;
import io.consolechat.client.ClientException;
import io.consolechat.client.Unreachable;

/** The exit codes of the client commands, for scripts. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int UNREACHABLE = 2;
    public static final int AUTHENTICATION_REFUSED = 3;
    public static final int REQUEST_REFUSED = 4;

    private ExitCode() {
    }

    public static int of(ClientException e) {
        return switch (e) {
            case Unreachable u -> UNREACHABLE;
            case ApiError a -> a.isAuthentication() ? AUTHENTICATION_REFUSED : REQUEST_REFUSED;
        };
    }
}
