package io.consolechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.Tls;
import io.consolechat.server.testing.SelfSignedCertificate;
import io.consolechat.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The client against a server with a self-signed certificate: refused unless --insecure is given. */
class InsecureTlsTest {

    @TempDir
    Path dir;

    @Command(name = "console-chat", subcommands = {SendCommand.class, HistoryCommand.class})
    static final class Root {
    }

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        var environment = new ClientEnvironment(new ByteArrayInputStream(new byte[0]),
                Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString()), false);
        var out = new StringWriter();
        var err = new StringWriter();
        var exit = new CommandLine(Root.class, ClientCommands.factory(environment))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aSelfSignedCertificateIsRefusedUnlessInsecureIsGiven() throws Exception {
        var certificate = SelfSignedCertificate.create(dir, "EC");
        try (var server = TestServer.start(c -> c.withTls(new Tls.Pkcs12(certificate.keyStore(),
                certificate.password())))) {
            var url = server.uri().toString();
            assertThat(url).startsWith("https://");

            var refused = run("send", "--server", url, "tls", "not sent");
            assertThat(refused.exit()).isEqualTo(ExitCode.UNREACHABLE);
            assertThat(refused.err()).hasLineCount(1);

            var accepted = run("send", "--server", url, "--insecure", "tls", "sent over TLS");
            assertThat(accepted.exit()).as(accepted.err()).isZero();
            assertThat(accepted.err()).containsIgnoringCase("warning").containsIgnoringCase("certificate");

            var history = run("history", "--server", url, "--insecure", "tls");
            assertThat(history.exit()).as(history.err()).isZero();
            assertThat(history.out()).contains("sent over TLS").doesNotContain("not sent");
        }
    }
}
