package io.consolechat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The Redis yardstick in miniature against a real redis-server (skipped without one; {@code .ci/run}
 * installs it): every published message reaches every subscriber once and in order, and Redis's own CPU and
 * memory are measured.
 */
class RedisFanoutTest {
    @Test
    void everySubscriberGetsEveryPublishedMessageOnceAndInOrder() throws Exception {
        assumeTrue(RedisServer.installed("redis-server"), "redis-server is not installed");
        var fanout = new RedisFanout();
        fanout.listeners = 5;
        fanout.rate = 20;
        fanout.duration = 2;
        fanout.warmup = 1;
        var result = fanout.run();

        long confirmed = (long) result.figures().get("messagesConfirmed");
        assertThat(confirmed).isEqualTo(40);
        assertThat(result.correctness()).isEqualTo(new Result.Correctness(5 * confirmed, 0, 0, 0));
        assertThat(result.latency().count()).isEqualTo(5 * confirmed);
        assertThat(result.server()).as("the started redis-server is measured").isNotNull();
        assertThat(result.server().peakRssMiB()).isPositive();
        // The split by thread is what the process's total is made of (a few ticks here, maybe none).
        assertThat(result.server().cpuSecondsByThread()).isNotNull()
                .allSatisfy((thread, seconds) -> assertThat(seconds).isPositive()
                        .isLessThanOrEqualTo(result.server().cpuSeconds() + 0.01));
    }

    @Test
    void aPushIsTakenOnlyOnceAllItsBytesHaveArrived() throws Exception {
        var bytes = "*3\r\n$7\r\nmessage\r\n$4\r\nroom\r\n$5\r\nhello\r\n*3".getBytes(StandardCharsets.US_ASCII);
        int whole = bytes.length - 2;
        for (int cut = 0; cut < whole; cut++) {
            assertThat(RedisSubscribers.Resp.push(bytes, 0, cut)).as("cut at %d", cut).isNull();
        }
        var push = RedisSubscribers.Resp.push(bytes, 0, whole);
        assertThat(push).isNotNull();
        assertThat(push.is("message")).isTrue();
        assertThat(push.text(2)).isEqualTo("hello");
        assertThat(push.end()).isEqualTo(whole);
        assertThat(RedisSubscribers.Resp.push(bytes, whole, bytes.length)).isNull();
    }

    @Test
    void theSubscriptionConfirmationCarriesAnIntegerAndIsRecognised() throws Exception {
        var bytes = "*3\r\n$9\r\nsubscribe\r\n$4\r\nroom\r\n:1\r\n".getBytes(StandardCharsets.US_ASCII);
        var push = RedisSubscribers.Resp.push(bytes, 0, bytes.length);
        assertThat(push).isNotNull();
        assertThat(push.is("subscribe")).isTrue();
        assertThat(push.is("message")).isFalse();
        assertThat(push.end()).isEqualTo(bytes.length);
    }

    @Test
    void aMissingRedisServerIsNamedWithWhatToDo() {
        assertThatThrownBy(() -> RedisServer.start("/nonexistent/redis-server", 10))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/nonexistent/redis-server not found")
                .hasMessageContaining("--redis-server");
    }
}
