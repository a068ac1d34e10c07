package io.consolechat.server.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Wraps a real data source so that chosen commits fail: while {@link #failing} is on, every {@code commit()}
 * throws instead of committing, as a full disk or a lost database would make it. Everything else reaches
 * the real database; the transaction is left open for the code under test to roll back.
 */
public final class FailingCommits {
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicInteger failed = new AtomicInteger();

    /** For {@code Database.openSqlite(..., underPool)}. */
    public DataSource wrap(DataSource real) {
        return proxy(DataSource.class, real, (method, args) -> {
            var result = method.invoke(real, args);
            return result instanceof Connection conn && method.getName().equals("getConnection")
                    ? connection(conn) : result;
        });
    }

    public void failing(boolean on) {
        failing.set(on);
    }

    /** Commits refused so far. */
    public int failed() {
        return failed.get();
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, real, (method, args) -> {
            if (method.getName().equals("commit") && failing.get()) {
                failed.incrementAndGet();
                throw new SQLException("injected commit failure");
            }
            return method.invoke(real, args);
        });
    }

    @FunctionalInterface
    private interface Call {
        Object invoke(Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T real, Call call) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return call.invoke(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
