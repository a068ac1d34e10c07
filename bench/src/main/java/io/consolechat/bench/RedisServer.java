package io.consolechat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} started for a comparison run: its own process on a free loopback port, keeping
 * nothing on disk, so that its CPU time and memory can be read like the chat server's.
 */
final class RedisServer implements AutoCloseable {
    private final Process process;
    private final InetSocketAddress address;

    private RedisServer(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /** Whether {@code program} is an executable file, or one on the PATH. */
    static boolean installed(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        var path = System.getenv("PATH");
        return path != null && List.of(path.split(":")).stream()
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    /** Starts {@code program} and waits until it answers PING; it accepts {@code clients} connections. */
    static RedisServer start(String program, int clients) throws IOException {
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        if (!installed(program)) {
            throw new IOException(program + " not found: install Redis (Debian: apt-get install redis-server) or "
                    + "name the program with --redis-server");
        }
        var process = new ProcessBuilder(program, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--maxclients", Integer.toString(clients))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        var server = new RedisServer(process, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        try {
            server.awaitPong();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void awaitPong() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue());
            }
            try (var channel = SocketChannel.open(address)) {
                channel.write(ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.US_ASCII)));
                var reply = ByteBuffer.allocate(16);
                channel.read(reply);
                if (new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("redis-server did not answer within 10 s: " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
    }

    InetSocketAddress address() {
        return address;
    }

    ProcessStats stats() {
        return ProcessStats.of(process.pid());
    }

    @Override
    public void close() {
        ServerUnderTest.stop(process, Duration.ofSeconds(10));
    }
}
