package io.consolechat.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Many listeners on one thread: non-blocking sockets and a selector, a shared read buffer, and a
 * streaming JSON parse of each line. Ten thousand open streams cost a few megabytes here, which keeps
 * the load side from competing with the server it measures.
 */
final class StreamListeners implements AutoCloseable {
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The servers to listen on; listener {@code i} streams from server {@code i % size}. */
    private final List<InetSocketAddress> servers;
    private final int timeoutSeconds;
    private final int maxConnecting;
    private final Selector selector;
    private final Thread loop;
    private final JsonFactory jsonFactory = new JsonFactory();
    private final Recorder latencyMicros = new Recorder(3);
    private final Queue<StreamListener> added = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<StreamListener> waiting = new ArrayDeque<>();
    private final ArrayDeque<StreamListener> retrying = new ArrayDeque<>();
    private final List<StreamListener> all = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong deliveries = new AtomicLong();
    /** Benchmark messages read but not counted: those of senders the listeners do not check (a warm-up's). */
    private final AtomicLong uncounted = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final int[] used = new int[1];
    private volatile boolean running = true;
    private volatile String lastError;
    private int connecting;

    StreamListeners(InetSocketAddress server, int timeoutSeconds, int maxConnecting) throws IOException {
        this(List.of(server), timeoutSeconds, maxConnecting);
    }

    StreamListeners(List<InetSocketAddress> servers, int timeoutSeconds, int maxConnecting) throws IOException {
        this.servers = List.copyOf(servers);
        this.timeoutSeconds = timeoutSeconds;
        this.maxConnecting = maxConnecting;
        this.selector = Selector.open();
        this.loop = Thread.ofPlatform().name("stream-listeners").daemon(true).start(this::run);
    }

    /** Starts a listener; it counts as open once its first 200 response head has arrived. */
    void add(StreamListener listener) {
        added.add(listener);
        selector.wakeup();
    }

    int open() {
        return open.get();
    }

    long deliveries() {
        return deliveries.get();
    }

    long errors() {
        return errors.get();
    }

    String lastError() {
        return lastError;
    }

    /** Latencies recorded since the last call, in microseconds. */
    Histogram takeLatencies() {
        return latencyMicros.getIntervalHistogram();
    }

    /** Waits until {@code count} listeners are open; false if the deadline passed first. */
    boolean awaitOpen(int count, java.time.Duration within) throws InterruptedException {
        return await(() -> open.get() >= count, within);
    }

    /**
     * Waits until {@code count} benchmark messages that the listeners do not check (other senders', repeats)
     * were read in all; false if the deadline passed first.
     */
    boolean awaitUncounted(long count, java.time.Duration within) throws InterruptedException {
        return await(() -> uncounted.get() >= count, within);
    }

    /** Waits until {@code count} benchmark messages were delivered in all; false if the deadline passed first. */
    boolean awaitDeliveries(long count, java.time.Duration within) throws InterruptedException {
        return await(() -> deliveries.get() >= count, within);
    }

    private boolean await(java.util.function.BooleanSupplier done, java.time.Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline || !running) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Counts lost, duplicated and reordered deliveries against the confirmed messages; after {@link #close()}. */
    Result.Correctness tally(java.util.BitSet[] confirmed) {
        long received = 0;
        long lost = 0;
        long duplicated = 0;
        long reordered = 0;
        for (var listener : all) {
            received += listener.received.count();
            lost += listener.received.lost(confirmed);
            duplicated += listener.received.duplicates() + listener.seqRegressions;
            reordered += listener.received.reordered();
        }
        return new Result.Correctness(received, lost, duplicated, reordered);
    }

    /** Re-polls the listeners made after a response ended (not counting each first request). */
    long repolls() {
        return all.stream().mapToLong(l -> Math.max(0, l.polls - 1)).sum();
    }

    private void run() {
        try {
            while (running) {
                admit();
                selector.select(100);
                long now = System.nanoTime();
                var keys = selector.selectedKeys();
                for (var key : keys) {
                    handle(key, now);
                }
                keys.clear();
            }
        } catch (IOException | RuntimeException e) {
            lastError = "listener loop failed: " + e;
            running = false;
        } finally {
            for (var listener : all) {
                closeChannel(listener);
            }
        }
    }

    private void admit() {
        StreamListener listener;
        while ((listener = added.poll()) != null) {
            all.add(listener);
            waiting.add(listener);
        }
        long now = System.nanoTime();
        while (!retrying.isEmpty() && retrying.peekFirst().retryAtNanos <= now) {
            waiting.addFirst(retrying.pollFirst());
        }
        while (connecting < maxConnecting && (listener = waiting.poll()) != null) {
            connect(listener);
        }
    }

    private void connect(StreamListener listener) {
        if (!listener.opened) {
            connecting++;
        }
        try {
            var channel = SocketChannel.open();
            listener.channel = channel;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (listener.local != null) {
                channel.bind(new InetSocketAddress(listener.local, 0));
            }
            listener.reset();
            listener.state = StreamListener.State.CONNECTING;
            if (channel.connect(serverOf(listener))) {
                sendRequest(listener);
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, listener);
            }
        } catch (IOException e) {
            fail(listener, e.toString());
        }
    }

    private InetSocketAddress serverOf(StreamListener listener) {
        return servers.get(listener.id % servers.size());
    }

    private void sendRequest(StreamListener listener) throws IOException {
        var server = serverOf(listener);
        listener.pendingWrite = listener.request(server.getHostString() + ":" + server.getPort(), timeoutSeconds);
        listener.polls++;
        write(listener);
    }

    private void write(StreamListener listener) throws IOException {
        listener.channel.write(listener.pendingWrite);
        var ops = listener.pendingWrite.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        if (!listener.pendingWrite.hasRemaining()) {
            listener.pendingWrite = null;
        }
        var key = listener.channel.keyFor(selector);
        if (key == null) {
            listener.channel.register(selector, ops, listener);
        } else {
            key.interestOps(ops);
        }
    }

    private void handle(SelectionKey key, long now) {
        var listener = (StreamListener) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                listener.channel.finishConnect();
                sendRequest(listener);
            } else if (key.isWritable()) {
                write(listener);
            } else if (key.isReadable()) {
                read(listener, now);
            }
        } catch (IOException | RuntimeException e) {
            fail(listener, e.toString());
        }
    }

    private void read(StreamListener listener, long now) throws IOException {
        while (true) {
            readBuffer.clear();
            int n = listener.channel.read(readBuffer);
            if (n < 0) {
                // The server closed the connection: between responses, poll again on a new one.
                boolean betweenResponses = listener.state == StreamListener.State.IDLE;
                closeChannel(listener);
                if (betweenResponses) {
                    reconnect(listener);
                } else {
                    fail(listener, "the server closed the connection mid-response");
                }
                return;
            }
            if (n == 0) {
                return;
            }
            // A read that did not fill the buffer most likely took all there was: the selector reports the
            // socket again if more comes, so another read now would usually be a wasted system call, and
            // this loop shares the cores with the server it measures.
            boolean drained = n < readBuffer.capacity();
            int offset = 0;
            while (offset < n) {
                var progress = listener.feed(readBuffer.array(), offset, n - offset, now, this::line, used);
                offset += used[0];
                switch (progress) {
                    case MORE -> { }
                    case HEADERS_OK -> {
                        if (!listener.opened) {
                            listener.opened = true;
                            connecting--;
                            open.incrementAndGet();
                        }
                    }
                    case HEADERS_FAILED -> {
                        lastError = "GET /room answered " + listener.status();
                        if (listener.bodyComplete()) {
                            fail(listener, lastError);
                            return;
                        }
                    }
                    case RESPONSE_DONE -> {
                        if (listener.status() != 200) {
                            fail(listener, "GET /room answered " + listener.status());
                            return;
                        }
                        if (offset < n || listener.closeAfterResponse()) {
                            closeChannel(listener);
                            reconnect(listener);
                            return;
                        }
                        if (running) {
                            sendRequest(listener);
                        }
                    }
                }
            }
            if (drained) {
                return;
            }
        }
    }

    private void line(StreamListener listener, byte[] bytes, int offset, int length, long now) {
        String type = null;
        String text = null;
        long seq = -1;
        long since = -1;
        try (var parser = jsonFactory.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                var name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "type" -> type = parser.getText();
                    case "seq" -> seq = parser.getLongValue();
                    case "since" -> since = parser.getLongValue();
                    case "text" -> text = parser.getText();
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            lastError = "unreadable stream line: " + e.getMessage();
            errors.incrementAndGet();
            return;
        }
        if (type == null) {
            return;
        }
        switch (type) {
            case "end" -> listener.lastSeq = Math.max(listener.lastSeq, since);
            case "keepalive" -> { }
            default -> {
                if (seq <= listener.lastSeq) {
                    listener.seqRegressions++;
                } else {
                    listener.lastSeq = seq;
                }
                var message = "message".equals(type) ? BenchMessage.parse(text) : null;
                if (message != null && listener.received.note(message)) {
                    latencyMicros.recordValue(Math.max(0, (now - message.sentNanos()) / 1000));
                    deliveries.incrementAndGet();
                } else if (message != null) {
                    uncounted.incrementAndGet();
                }
            }
        }
    }

    private void reconnect(StreamListener listener) {
        if (running) {
            waiting.addFirst(listener);
        }
    }

    private void fail(StreamListener listener, String why) {
        lastError = why;
        errors.incrementAndGet();
        listener.errors++;
        closeChannel(listener);
        if (!listener.opened) {
            connecting--;
        }
        listener.retryAtNanos = System.nanoTime() + RETRY_NANOS;
        if (running) {
            retrying.addLast(listener);
        }
    }

    private void closeChannel(StreamListener listener) {
        if (listener.channel != null) {
            try {
                listener.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            listener.channel = null;
        }
        listener.reset();
    }

    /** Stops every listener and waits for the loop to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        loop.join();
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
