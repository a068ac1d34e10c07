package io.consolechat.server.config;

import java.nio.file.Path;

/** Whether the server speaks HTTPS, and where its certificate and key come from. */
public sealed interface Tls {

    /** Plain HTTP, for local use or behind a proxy that terminates TLS. */
    record Off() implements Tls {
    }

    /** A PEM certificate chain and a PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
    record Pem(Path certificate, Path privateKey) implements Tls {
    }

    /** A PKCS#12 key store holding one private key with its certificate chain. */
    record Pkcs12(Path keyStore, String password) implements Tls {
        @Override
        public String toString() {
            return "Pkcs12[keyStore=" + keyStore + "]";
        }
    }

    static Tls off() {
        return new Off();
    }
}
