package io.consolechat.server.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy between a server and PostgreSQL that forwards the wire protocol as it is and, when told to,
 * breaks the connection of the next transaction that inserts events at a chosen point: on that insert, on
 * its COMMIT before PostgreSQL gets it, or after PostgreSQL has applied the COMMIT and before its answer
 * reaches the server. It reads the messages the client sends (the SQL of a Parse or a simple Query, and the
 * statement a Bind names) to know where the transaction is; what PostgreSQL sends is copied untouched, except
 * the answer to that COMMIT, which it holds back and drops. It can also silence the connections that
 * listen for notifications ({@link #silenceListening()}): a dead network path rather than a broken connection.
 */
public final class PostgresProxy implements AutoCloseable {
    /** Where to break the connection. */
    public enum Cut {
        /** On the transaction's {@code INSERT INTO events}, before PostgreSQL gets it. */
        AT_INSERT,
        /** On the transaction's COMMIT, before PostgreSQL gets it. */
        BEFORE_COMMIT,
        /** Once PostgreSQL has answered the transaction's COMMIT (so applied it), before the answer is passed on. */
        AFTER_COMMIT
    }

    private record Order(Cut cut, boolean thenUnreachable) {
    }

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    /** PostgreSQL's CommandComplete for a COMMIT: 'C', the length 11, "COMMIT" and its terminating zero. */
    private static final byte[] COMMIT_COMPLETE = {'C', 0, 0, 0, 11, 'C', 'O', 'M', 'M', 'I', 'T', 0};

    private final int postgresPort;
    private final ServerSocket listening;
    private final Thread acceptor;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Order> next = new AtomicReference<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean unreachable;
    private volatile boolean closed;

    public PostgresProxy(int postgresPort) {
        this.postgresPort = postgresPort;
        try {
            listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofPlatform().name("postgres-proxy").daemon(true).start(this::accept);
    }

    /** The port to give the server in place of PostgreSQL's. */
    public int port() {
        return listening.getLocalPort();
    }

    /** Breaks the next transaction that inserts events at {@code cut}; once. */
    public void cutNext(Cut cut) {
        next.set(new Order(cut, false));
    }

    /**
     * As {@link #cutNext(Cut)}, and at the cut every other connection breaks too and new ones are refused,
     * until {@link #reachable()}: the database looks gone to the server from that moment.
     */
    public void cutNextThenBeUnreachable(Cut cut) {
        next.set(new Order(cut, true));
    }

    /** How many connections were broken at an ordered cut so far. */
    public int cuts() {
        return cuts.get();
    }

    /**
     * Every connection open now that has sent a {@code LISTEN} goes silent: from now on nothing its client
     * sends reaches PostgreSQL and nothing PostgreSQL sends reaches the client, yet the proxy closes neither
     * side, as on a network path that drops every packet. It ends only when its client gives up on it and
     * closes it. Returns how many went silent; connections made later are forwarded as usual.
     */
    public int silenceListening() {
        int silenced = 0;
        for (var link : links) {
            if (link.listening) {
                link.silent = true;
                silenced++;
            }
        }
        return silenced;
    }

    /** Connections are taken and forwarded again. */
    public void reachable() {
        unreachable = false;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return;
            }
            if (unreachable) {
                quietlyClose(client);
                continue;
            }
            try {
                var server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), postgresPort), 5_000);
                var link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                quietlyClose(client);
            }
        }
    }

    /** One proxied connection: a thread reads what the client sends, another what PostgreSQL answers. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        /** Prepared statements by name, so that a Bind of a named statement shows its SQL. */
        private final Map<String, String> statements = new HashMap<>();
        /** The cut this connection's current transaction took on; only the client thread reads and writes it. */
        private Order order;
        /** Set when the COMMIT to hold the answer of has gone to PostgreSQL. */
        private volatile boolean holdingAnswer;
        /** Set once the client has sent a LISTEN. */
        volatile boolean listening;
        /** Set by {@link #silenceListening()}: what either side sends is read and dropped. */
        volatile boolean silent;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            Thread.ofPlatform().name("postgres-proxy-up").daemon(true).start(this::up);
            Thread.ofPlatform().name("postgres-proxy-down").daemon(true).start(this::down);
        }

        /** Client to PostgreSQL: the untyped start-up packets, then one typed message at a time. */
        private void up() {
            try (var in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
                 var out = new BufferedOutputStream(server.getOutputStream())) {
                int code;
                do {
                    int length = in.readInt();
                    var body = in.readNBytes(length - 4);
                    writeInt(out, length);
                    out.write(body);
                    out.flush();
                    code = ByteBuffer.wrap(body).getInt();
                    // After an SSL or GSS request the client sends its start-up message (PostgreSQL said no).
                } while (code == SSL_REQUEST || code == GSS_REQUEST);
                while (true) {
                    int type = in.read();
                    if (type < 0) {
                        break;
                    }
                    int length = in.readInt();
                    var body = in.readNBytes(length - 4);
                    var sql = sqlOf(type, body);
                    if (silent) {
                        continue;
                    }
                    if (sql != null && sql.stripLeading().regionMatches(true, 0, "LISTEN ", 0, 7)) {
                        listening = true;
                    }
                    if (sql != null && order == null && sql.contains("INSERT INTO events")) {
                        order = next.getAndSet(null);
                        if (order != null && order.cut() == Cut.AT_INSERT) {
                            cut(order);
                            return;
                        }
                    }
                    if (order != null && sql != null && sql.trim().equalsIgnoreCase("COMMIT")) {
                        if (order.cut() == Cut.BEFORE_COMMIT) {
                            cut(order);
                            return;
                        }
                        holdingAnswer = true;
                    }
                    out.write(type);
                    writeInt(out, length);
                    out.write(body);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // The other side or a cut closed the connection.
            } finally {
                end();
            }
        }

        /** PostgreSQL to client: copied as it comes, until the answer to a COMMIT to hold back. */
        private void down() {
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                var buffer = new byte[8192];
                var held = new ByteArrayOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (silent) {
                        continue;
                    }
                    if (holdingAnswer) {
                        held.write(buffer, 0, n);
                        if (contains(held.toByteArray(), COMMIT_COMPLETE)) {
                            cut(order);
                            return;
                        }
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // The other side or a cut closed the connection.
            } finally {
                end();
            }
        }

        /** The SQL a message carries or names: a Parse's, a simple Query's, or that of the statement a Bind binds. */
        private String sqlOf(int type, byte[] body) {
            return switch (type) {
                case 'P' -> {
                    int nameEnd = zeroAt(body, 0);
                    var name = text(body, 0, nameEnd);
                    var sql = text(body, nameEnd + 1, zeroAt(body, nameEnd + 1));
                    if (!name.isEmpty()) {
                        statements.put(name, sql);
                    }
                    yield sql;
                }
                case 'Q' -> text(body, 0, zeroAt(body, 0));
                case 'B' -> {
                    int portalEnd = zeroAt(body, 0);
                    var name = text(body, portalEnd + 1, zeroAt(body, portalEnd + 1));
                    yield name.isEmpty() ? null : statements.get(name);
                }
                default -> null;
            };
        }

        /** Breaks this connection, and with an order to be unreachable, every other one too. */
        private void cut(Order order) {
            if (order.thenUnreachable()) {
                unreachable = true;
                for (var link : links) {
                    if (link != this) {
                        link.end();
                    }
                }
            }
            cuts.incrementAndGet();
            end();
        }

        void end() {
            links.remove(this);
            quietlyClose(client);
            quietlyClose(server);
        }
    }

    /** Where the zero-terminated string that starts at {@code from} ends. */
    private static int zeroAt(byte[] body, int from) {
        int end = from;
        while (end < body.length && body[end] != 0) {
            end++;
        }
        return end;
    }

    private static String text(byte[] body, int from, int end) {
        return new String(body, from, end - from, StandardCharsets.UTF_8);
    }

    private static boolean contains(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    private static void writeInt(OutputStream out, int value) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(value).array());
    }

    private static void quietlyClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listening.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
        for (var link : links) {
            link.end();
        }
        acceptor.interrupt();
    }
}
