package io.consolechat.server;

/**
 * The server could not start, for a reason the person starting it can fix (the data directory, the port,
 * the certificate): its message is one line that says which, without a stack trace.
 */
public final class ServerStartException extends RuntimeException {
    ServerStartException(String what, Throwable cause) {
        super(what + ": " + reason(cause), cause);
    }

    /** The outermost message, and the innermost one when it adds something (e.g. "Address already in use"). */
    private static String reason(Throwable e) {
        var message = String.valueOf(e.getMessage());
        var root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        var rootMessage = root.getMessage();
        return root == e || rootMessage == null || message.contains(rootMessage) ? message
                : message + " (" + rootMessage + ")";
    }
}
