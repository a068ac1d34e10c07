package io.consolechat.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that cannot start says why in one line and exits with 1: no stack trace. */
class ServerStartupTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String err) {
    }

    private static Run server(String... args) {
        var err = new StringWriter();
        var command = Main.commandLine();
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(new StringWriter(), true));
        var all = new String[args.length + 1];
        all[0] = "server";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Run(command.execute(all), err.toString());
    }

    private static void assertOneLine(Run run, String says) {
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).hasLineCount(1).startsWith("console-chat: cannot ").contains(says)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aDataDirectoryThatCannotBeMadeIsOneLine() throws Exception {
        var file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertOneLine(server("--port", "0", "--host", "127.0.0.1", "--data-dir", file.resolve("data").toString()),
                "data directory");
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertOneLine(server("--port", Integer.toString(taken.getLocalPort()), "--host", "127.0.0.1",
                    "--data-dir", dir.resolve("data").toString()), "listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void aMissingCertificateIsOneLine() {
        assertOneLine(server("--port", "0", "--host", "127.0.0.1", "--data-dir", dir.resolve("data").toString(),
                "--tls-cert", dir.resolve("missing.pem").toString(), "--tls-key", dir.resolve("key.pem").toString()),
                "TLS certificate");
    }
}
