package io.consolechat.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A PKCS#12 key store with a self-signed certificate for localhost, made by the running JDK's keytool. */
public record SelfSignedCertificate(Path keyStore, String password) {

    public static SelfSignedCertificate create(Path dir, String algorithm) {
        var file = dir.resolve("server-" + algorithm + ".p12");
        var password = "test-password";
        var keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        try {
            var process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", algorithm,
                    "-keysize", algorithm.equals("EC") ? "256" : "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", password, "-keypass", password)
                    .redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new SelfSignedCertificate(file, password);
    }
}
