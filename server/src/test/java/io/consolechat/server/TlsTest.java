package io.consolechat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.server.config.Tls;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.SelfSignedCertificate;
import io.consolechat.server.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a self-signed certificate made for the test by the JDK's keytool. */
class TlsTest {
    private static final String PASSWORD = "test-password";

    @TempDir
    Path dir;

    @Test
    void loginSendAndStreamOverHttpsWithAPkcs12KeyStore() throws Exception {
        var keyStore = selfSigned("EC");
        try (var server = TestServer.start(c -> c.network.tls = new Tls.Pkcs12(keyStore, PASSWORD))) {
            assertThat(server.uri().getScheme()).isEqualTo("https");
            chatOverTls(server, keyStore);
        }
    }

    @Test
    void loginSendAndStreamOverHttpsWithPemFiles() throws Exception {
        var keyStore = selfSigned("RSA");
        var store = load(keyStore);
        var cert = dir.resolve("cert.pem");
        var key = dir.resolve("key.pem");
        var mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n"
                + mime.encodeToString(store.getCertificate("server").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        var privateKey = (PrivateKey) store.getKey("server", PASSWORD.toCharArray());
        assertThat(privateKey.getFormat()).isEqualTo("PKCS#8");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        try (var server = TestServer.start(c -> c.network.tls = new Tls.Pem(cert, key))) {
            chatOverTls(server, keyStore);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
        var keyStore = selfSigned("EC");
        try (var server = TestServer.start(c -> c.network.tls = new Tls.Pkcs12(keyStore, PASSWORD))) {
            var client = HttpClient.newHttpClient();
            var request = HttpRequest.newBuilder(server.uri().resolve("/health")).build();
            try {
                client.send(request, HttpResponse.BodyHandlers.ofString());
                throw new AssertionError("a self-signed certificate was trusted by default");
            } catch (SSLHandshakeException expected) {
                assertThat(expected).hasMessageContaining("certification path");
            }
        }
    }

    private void chatOverTls(TestServer server, Path keyStore) throws Exception {
        var api = new Api(server.uri(), trusting(keyStore));
        assertThat(api.get("/health", null).status()).isEqualTo(200);
        var alice = api.login("alice", "alice's password");
        var bob = api.login("bob", null);
        try (var stream = api.stream("/room/lobby?timeout=5", alice)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextLine(Duration.ofSeconds(5))).contains("\"type\":\"join\"");
            assertThat(api.sendText("lobby", bob, "over TLS").status()).isEqualTo(201);
            assertThat(stream.nextLine(Duration.ofSeconds(2))).contains("\"text\":\"over TLS\"");
        }
    }

    private static HttpClient trusting(Path keyStore) throws Exception {
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(keyStore));
        var context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static KeyStore load(Path file) throws Exception {
        var store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private Path selfSigned(String algorithm) {
        var certificate = SelfSignedCertificate.create(dir, algorithm);
        assertThat(certificate.password()).isEqualTo(PASSWORD);
        return certificate.keyStore();
    }
}
