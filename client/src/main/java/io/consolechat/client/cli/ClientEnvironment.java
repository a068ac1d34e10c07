package io.consolechat.client.cli;

import java.io.Console;
import java.io.InputStream;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the commands take from the process around them: standard input, the environment variables,
 * whether a terminal is attached, and whether writing to standard output has failed. Tests pass their
 * own; {@link #system()} is the real one. (Standard output and error come from picocli's
 * {@code CommandLine.getOut()/getErr()}.)
 *
 * @param stdoutFailed true once a write to the process's standard output failed (its reader quit); the
 *                     JDK's {@code System.out} swallows that error, so picocli's writer above it never sees it
 */
public record ClientEnvironment(InputStream stdin, Map<String, String> variables, boolean terminal,
                                BooleanSupplier stdoutFailed) {

    public ClientEnvironment(InputStream stdin, Map<String, String> variables, boolean terminal) {
        this(stdin, variables, terminal, () -> false);
    }

    public static ClientEnvironment system() {
        return new ClientEnvironment(System.in, System.getenv(), isTerminal(System.console()), System.out::checkError);
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
