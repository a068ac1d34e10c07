package io.consolechat.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.consolechat.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The logins saved by {@code console-chat login}, one per server, in {@code tokens.json} under
 * {@code $XDG_CONFIG_HOME/console-chat/} (else {@code ~/.config/console-chat/}). A token is a password
 * for its lifetime, so the file is created readable by its owner only (0600, directory 0700) and is
 * replaced atomically, never rewritten in place.
 */
public final class TokenStore {
    private static final String FILE = "tokens.json";
    private static final TypeReference<TreeMap<String, SavedLogin>> ALL = new TypeReference<>() { };

    private final Path directory;
    private final Json json;

    public TokenStore(Path directory, Json json) {
        this.directory = directory;
        this.json = json;
    }

    /** The configuration directory the environment names: XDG first, then the home directory. */
    public static Path directory(Map<String, String> environment) {
        var xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "console-chat");
        }
        var home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "console-chat");
    }

    public Path file() {
        return directory.resolve(FILE);
    }

    public Optional<SavedLogin> load(ServerAddress server) {
        return Optional.ofNullable(readAll().get(server.toString()));
    }

    public void save(ServerAddress server, SavedLogin login) {
        var all = readAll();
        all.put(server.toString(), login);
        writeAll(all);
    }

    /** Forgets the server's login; true when there was one. */
    public boolean remove(ServerAddress server) {
        var all = readAll();
        if (all.remove(server.toString()) == null) {
            return false;
        }
        writeAll(all);
        return true;
    }

    private TreeMap<String, SavedLogin> readAll() {
        var file = file();
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            var all = json.mapper().readValue(file.toFile(), ALL);
            return all == null ? new TreeMap<>() : all;
        } catch (IOException e) {
            // A damaged file only costs the saved logins; the next login writes a good one.
            return new TreeMap<>();
        }
    }

    private void writeAll(TreeMap<String, SavedLogin> all) {
        try {
            createPrivateDirectory();
            var temporary = Files.createTempFile(directory, FILE, ".tmp", ownerOnly("rw-------"));
            try {
                Files.write(temporary, json.writeBytes(all));
                try {
                    Files.move(temporary, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the login in " + directory + ": " + e.getMessage(), e);
        }
    }

    private void createPrivateDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, ownerOnly("rwx------"));
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly(String permissions) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
        return new java.nio.file.attribute.FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
