package io.consolechat.client.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The client commands in a JVM of their own, the way the {@code console-chat} launcher runs them: on the
 * process's real standard input, output and terminal. Runs {@link CommandRun#main} on the test class path.
 */
public final class ClientProcess {
    private ClientProcess() {
    }

    /** The command line that runs {@code console-chat args...}. */
    public static List<String> command(String... args) {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may run the tests from a manifest-only jar; it names the real class path here.
        var classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // Native access lets JLine use its native terminal library without a warning on the screen.
        var command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath, CommandRun.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
