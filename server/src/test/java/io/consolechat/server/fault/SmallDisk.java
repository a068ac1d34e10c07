package io.consolechat.server.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real filesystem of a few megabytes (tmpfs), to fill up for real. Mounting needs root and a kernel that
 * allows it; where either is missing, {@link #mount} says so and the test that needs it is skipped.
 */
final class SmallDisk implements AutoCloseable {
    private final Path path;

    private SmallDisk(Path path) {
        this.path = path;
    }

    /** Mounts a tmpfs of {@code size} (as mount takes it, e.g. "8m") at {@code path}; empty where that is refused. */
    static Optional<SmallDisk> mount(Path path, String size) {
        try {
            Files.createDirectories(path);
            if (run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", path.toString()) != 0) {
                return Optional.empty();
            }
            return Optional.of(new SmallDisk(path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Path path() {
        return path;
    }

    /** Writes a file until the filesystem has no space left; returns it, to delete when the fault should end. */
    Path fill() throws IOException {
        var filler = path.resolve("filler");
        try (var out = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            var block = ByteBuffer.allocate(4096);
            while (true) {
                block.clear();
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return filler;
    }

    @Override
    public void close() {
        try {
            run("umount", path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int run(String... command) throws IOException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
