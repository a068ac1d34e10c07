package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consolechat.server.bus.LocalBus;
import io.consolechat.server.config.Rate;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The shared token buckets: one bucket per id, whoever takes from it, and no row kept once it is full again. */
@ExtendWith(PostgresExtension.class)
class PostgresRateBucketsTest {

    @Test
    void twoDatabasesOnOneSchemaDrawFromOneBucketPerId(Postgres postgres) {
        var url = PostgresUrl.parse(postgres.newDatabase(), null);
        var rate = new Rate(2, 1, Duration.ofHours(1));
        try (var a = Database.openPostgres(url, new LocalBus(), Clock.systemUTC());
             var b = Database.openPostgres(url, new LocalBus(), Clock.systemUTC())) {
            var bucketsA = a.sharedRateBuckets().orElseThrow();
            var bucketsB = b.sharedRateBuckets().orElseThrow();
            assertThat(bucketsA.take("send alice", rate)).isZero();
            assertThat(bucketsB.take("send alice", rate)).isZero();
            assertThat(bucketsA.take("send alice", rate)).isGreaterThan(Duration.ofMinutes(59).toNanos());
            assertThat(bucketsB.take("send bob", rate)).isZero();
        }
    }

    @Test
    void bucketsThatAreFullAgainAreForgotten(Postgres postgres) {
        var url = PostgresUrl.parse(postgres.newDatabase(), null);
        try (var database = Database.openPostgres(url, new LocalBus(), Clock.systemUTC())) {
            var buckets = database.sharedRateBuckets().orElseThrow();
            buckets.take("send quick", new Rate(1, 1, Duration.ofMillis(200)));
            buckets.take("send slow", new Rate(1, 1, Duration.ofHours(1)));
            // The quick bucket is full again after 200 ms; the slow one stays for an hour.
            await().atMost(Duration.ofSeconds(10)).until(() -> buckets.forgetFull() == 1);
            assertThat(buckets.forgetFull()).isZero();
            assertThat(buckets.take("send slow", new Rate(1, 1, Duration.ofHours(1)))).isPositive();
        }
    }

    @Test
    void sqliteHasNoSharedLimits(@TempDir Path dir) {
        try (var database = Database.openSqlite(dir, new LocalBus(), Clock.systemUTC())) {
            assertThat(database.sharedRateBuckets()).isEmpty();
            assertThat(database.sharedStreamCounts()).isEmpty();
        }
    }
}
