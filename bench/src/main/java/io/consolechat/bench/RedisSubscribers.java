package io.consolechat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Subscribers of one Redis channel, read like {@link StreamListeners} reads streams: one thread and one
 * selector for all connections, each message taken from the bytes as they arrive and checked like a
 * stream's lines (latency from its scheduled send, lost, duplicated, reordered).
 */
final class RedisSubscribers implements AutoCloseable {
    private final Selector selector;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final Recorder latencyMicros = new Recorder(3);
    private final AtomicInteger subscribed = new AtomicInteger();
    private final AtomicLong deliveries = new AtomicLong();
    private final Thread loop;
    private volatile boolean closing;
    private volatile String lastError;

    RedisSubscribers(InetSocketAddress redis, String channel, int count, int senders) throws IOException {
        selector = Selector.open();
        var command = Resp.command("SUBSCRIBE", channel);
        for (int i = 0; i < count; i++) {
            var connection = SocketChannel.open(redis);
            connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
            var request = ByteBuffer.wrap(command);
            while (request.hasRemaining()) {
                connection.write(request);
            }
            connection.configureBlocking(false);
            var subscriber = new Subscriber(senders);
            subscribers.add(subscriber);
            connection.register(selector, SelectionKey.OP_READ, subscriber);
        }
        loop = Thread.ofPlatform().name("redis-subscribers").daemon(true).start(this::run);
    }

    /** Waits until every subscriber has its confirmation; false if {@code timeout} passed first. */
    boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return await(() -> subscribed.get() >= subscribers.size(), timeout);
    }

    /** Waits until {@code expected} measured messages have arrived in all; false if {@code timeout} passed first. */
    boolean awaitDeliveries(long expected, Duration timeout) throws InterruptedException {
        return await(() -> deliveries.get() >= expected, timeout);
    }

    private static boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** The latencies recorded since the last call. */
    Histogram takeLatencies() {
        return latencyMicros.getIntervalHistogram();
    }

    int subscribedCount() {
        return subscribed.get();
    }

    String lastError() {
        return lastError;
    }

    /** Counts lost, duplicated and reordered messages against the confirmed ones; after {@link #close()}. */
    Result.Correctness tally(BitSet[] confirmed) {
        long received = 0;
        long lost = 0;
        long duplicated = 0;
        long reordered = 0;
        for (var subscriber : subscribers) {
            received += subscriber.received.count();
            lost += subscriber.received.lost(confirmed);
            duplicated += subscriber.received.duplicates();
            reordered += subscriber.received.reordered();
        }
        return new Result.Correctness(received, lost, duplicated, reordered);
    }

    private void run() {
        var buffer = ByteBuffer.allocateDirect(64 * 1024);
        var bytes = new byte[buffer.capacity()];
        try {
            while (!closing) {
                selector.select(100);
                long now = System.nanoTime();
                for (var key : selector.selectedKeys()) {
                    var subscriber = (Subscriber) key.attachment();
                    buffer.clear();
                    int read = ((SocketChannel) key.channel()).read(buffer);
                    if (read < 0) {
                        throw new IOException("redis closed a subscriber's connection");
                    }
                    buffer.flip();
                    buffer.get(bytes, 0, read);
                    subscriber.take(bytes, read, now);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                lastError = e.toString();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closing) {
            return;
        }
        closing = true;
        selector.wakeup();
        try {
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }

    /** One connection's unparsed bytes and what it received. */
    private final class Subscriber {
        final ReceivedMessages received;
        private byte[] pending = new byte[4096];
        private int length;

        Subscriber(int senders) {
            received = new ReceivedMessages(senders);
        }

        void take(byte[] bytes, int count, long now) throws IOException {
            if (length + count > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + count));
            }
            System.arraycopy(bytes, 0, pending, length, count);
            length += count;
            int at = 0;
            for (var push = Resp.push(pending, at, length); push != null; push = Resp.push(pending, at, length)) {
                at = push.end();
                if (push.is("message")) {
                    message(push.text(2), now);
                } else if (push.is("subscribe")) {
                    subscribed.incrementAndGet();
                }
            }
            System.arraycopy(pending, at, pending, 0, length - at);
            length -= at;
        }

        private void message(String text, long now) {
            var message = BenchMessage.parse(text);
            // Warm-up messages carry other sender ids, which note() ignores.
            if (message != null && received.note(message)) {
                latencyMicros.recordValue(Math.max(0, (now - message.sentNanos()) / 1000));
                deliveries.incrementAndGet();
            }
        }
    }

    /** The little of Redis's protocol (RESP) the comparison needs. */
    static final class Resp {
        private Resp() {
        }

        /** A command as an array of bulk strings. */
        static byte[] command(String... words) {
            var text = new StringBuilder("*").append(words.length).append("\r\n");
            for (var word : words) {
                text.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(word).append("\r\n");
            }
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** A pushed array of bulk strings and integers, and where it ends in the bytes. */
        record Push(byte[] bytes, int[] starts, int[] lengths, int end) {
            boolean is(String kind) {
                var expected = kind.getBytes(StandardCharsets.US_ASCII);
                return starts.length > 0 && Arrays.equals(bytes, starts[0], starts[0] + lengths[0], expected, 0,
                        expected.length);
            }

            String text(int element) {
                return new String(bytes, starts[element], lengths[element], StandardCharsets.UTF_8);
            }
        }

        /** The push that starts at {@code from}, or null while its bytes have not all arrived. */
        static Push push(byte[] bytes, int from, int to) throws IOException {
            if (from >= to) {
                return null;
            }
            if (bytes[from] != '*') {
                throw new IOException("unexpected reply from redis: " + (char) bytes[from]);
            }
            int[] at = {from + 1};
            long count = number(bytes, at, to);
            if (count < 0) {
                return null;
            }
            var starts = new int[(int) count];
            var lengths = new int[(int) count];
            for (int i = 0; i < count; i++) {
                if (at[0] >= to) {
                    return null;
                }
                byte type = bytes[at[0]++];
                long value = number(bytes, at, to);
                if (value < 0) {
                    return null;
                }
                if (type == '$') {
                    if (at[0] + value + 2 > to) {
                        return null;
                    }
                    starts[i] = at[0];
                    lengths[i] = (int) value;
                    at[0] += (int) value + 2;
                } else if (type != ':') {
                    throw new IOException("unexpected element in a push from redis: " + (char) type);
                }
            }
            return new Push(bytes, starts, lengths, at[0]);
        }

        /** The decimal number at {@code at[0]} up to its CRLF, moving past it; -1 while the CRLF is missing. */
        private static long number(byte[] bytes, int[] at, int to) {
            long value = 0;
            for (int i = at[0]; i + 1 < to; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    at[0] = i + 2;
                    return value;
                }
                value = value * 10 + (bytes[i] - '0');
            }
            return -1;
        }
    }
}
