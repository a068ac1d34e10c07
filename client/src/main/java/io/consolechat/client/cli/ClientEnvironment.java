package io.consolechat.client.cli;

import java.io.Console;
import java.io.InputStream;
import java.util.Map;

/**
 * What the commands take from the process around them: standard input, the environment variables,
 * and whether a terminal is attached. Tests pass their own; {@link #system()} is the real one.
 * (Standard output and error come from picocli's {@code CommandLine.getOut()/getErr()}.)
 */
public record ClientEnvironment(InputStream stdin, Map<String, String> variables, boolean terminal) {

    public static ClientEnvironment system() {
        return new ClientEnvironment(System.in, System.getenv(), isTerminal(System.console()));
    }

    /** Whether NO_COLOR asks for no colors (any non-empty value, as no-color.org says). */
    public boolean noColor() {
        var value = variables.get("NO_COLOR");
        return value != null && !value.isEmpty();
    }

    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        // From Java 22 on, System.console() exists even for pipes; isTerminal() tells. On 21 a console
        // is only given to an interactive process.
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
