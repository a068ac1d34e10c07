package io.consolechat.server.http;

import io.consolechat.server.config.Tls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** The server's certificate chain and private key, as a key store for Jetty, from PEM files or a PKCS#12 file. */
final class KeyMaterial {
    static final String ALIAS = "server";
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    /** A key store and the password of its key entry. */
    record Loaded(KeyStore keyStore, String password) {
        @Override
        public String toString() {
            return "Loaded[" + keyStore.getType() + "]";
        }
    }

    private KeyMaterial() {
    }

    static Loaded load(Tls tls) {
        try {
            return switch (tls) {
                case Tls.Pem pem -> fromPem(pem.certificate(), pem.privateKey());
                case Tls.Pkcs12 p12 -> fromPkcs12(p12.keyStore(), p12.password());
                case Tls.Off off -> throw new IllegalArgumentException("TLS is off");
            };
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read the TLS certificate or key: no such file " + e.getFile(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS certificate or key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate or key: " + e.getMessage(), e);
        }
    }

    private static Loaded fromPkcs12(Path file, String password) throws IOException, GeneralSecurityException {
        var store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return new Loaded(store, password);
    }

    private static Loaded fromPem(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<? extends Certificate> chain;
        try (var in = Files.newInputStream(certificateFile)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(certificateFile + " holds no certificate");
        }
        var key = privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile);
        // The key store lives only in memory; its password guards nothing, but Jetty needs one.
        var password = "console-chat";
        var store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(Certificate[]::new));
        return new Loaded(store, password);
    }

    /** A PKCS#8 key; its algorithm is whichever of RSA and EC accepts it. */
    private static PrivateKey privateKey(String pem, Path keyFile) throws GeneralSecurityException {
        var matcher = PRIVATE_KEY.matcher(pem);
        if (!matcher.find()) {
            throw new GeneralSecurityException(keyFile + " holds no \"BEGIN PRIVATE KEY\" block (PKCS#8); convert "
                    + "it with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem");
        }
        var spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(matcher.group(1)));
        GeneralSecurityException last = null;
        for (var algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException(keyFile + " holds neither an RSA nor an EC key", last);
    }
}
