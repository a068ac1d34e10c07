package io.consolechat.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * {@code GET /metrics} in the Prometheus text format: requests by route and status, open streams, the JVM,
 * and whatever else registers on {@link #registry()} (the bus, the commits, the connection pool). Requests are
 * counted in one place, an after-handler, so no endpoint needs to know about metrics.
 */
public final class ServerMetrics implements AutoCloseable {
    private static final String STARTED = "metrics.started";
    /** The route label of a request no endpoint matched, so that probed paths cannot add label values. */
    private static final String UNMATCHED = "unmatched";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A gauge of the streams open on this server, read from the counts the server keeps anyway. */
    public void openStreams(IntSupplier open) {
        Gauge.builder("chat.streams.open", open::getAsInt).description("Streams open on this server")
                .register(registry);
    }

    /** The {@code /metrics} endpoint, and the timing of every request. */
    public void register(RoutesConfig routes) {
        routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        routes.after(this::record);
        routes.get("/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(registry.scrape()));
    }

    private void record(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        Timer.builder("http.server.requests").description("HTTP requests by route, method and status")
                .tag("method", ctx.method().name())
                .tag("route", route(ctx))
                .tag("status", Integer.toString(ctx.status().getCode()))
                .register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** The matched route's template ({@code /room/{room}}), never the raw path: the label values stay few. */
    private static String route(Context ctx) {
        try {
            var endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint != null && endpoint.method.isHttpMethod() ? endpoint.path : UNMATCHED;
        } catch (RuntimeException e) {
            // No endpoint matched at all (a 404).
            return UNMATCHED;
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
