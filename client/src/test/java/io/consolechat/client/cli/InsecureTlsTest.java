package io.consolechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.Tls;
import io.consolechat.server.testing.SelfSignedCertificate;
import io.consolechat.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a server with a self-signed certificate: refused unless --insecure is given. */
class InsecureTlsTest {

    @TempDir
    Path dir;

    private CommandRun run(String... args) {
        return CommandRun.of(Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString()), "", args);
    }

    @Test
    void aSelfSignedCertificateIsRefusedUnlessInsecureIsGiven() throws Exception {
        var certificate = SelfSignedCertificate.create(dir, "EC");
        try (var server = TestServer.start(c -> c.network.tls = new Tls.Pkcs12(certificate.keyStore(),
                certificate.password()))) {
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
