package io.consolechat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consolechat.server.config.Rate;
import io.consolechat.server.config.ServerConfig;
import io.consolechat.server.config.Tls;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class ServerCommandTest {

    private static ServerCommand parse(String... args) {
        var command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void withoutFlagsTheLimitsAreTheDocumentedDefaults() {
        var config = parse().config();
        var defaults = new ServerConfig();
        assertThat(config.limits).usingRecursiveComparison().isEqualTo(defaults.limits);
        assertThat(config.network).usingRecursiveComparison().ignoringFields("port", "host")
                .isEqualTo(defaults.network);
        assertThat(config.network.tls).isInstanceOf(Tls.Off.class);
    }

    @Test
    void everyLimitFlagReachesTheConfiguration() {
        var config = parse("--send-rate=5", "--send-burst=7", "--session-rate=9", "--login-lock-after=4",
                "--account-lock-after=50", "--login-lock-minutes=2", "--streams-per-user=3",
                "--streams-per-address=11", "--idle-timeout=30", "--header-timeout=4", "--max-header-bytes=4096",
                "--trust-proxy").config();
        var limits = config.limits;
        var network = config.network;
        assertThat(limits.send).isEqualTo(Rate.perSecond(5, 7));
        assertThat(limits.tokens).isEqualTo(Rate.perMinute(9));
        assertThat(limits.addressLogins.lockAfter()).isEqualTo(4);
        assertThat(limits.addressLogins.freeFailures()).isEqualTo(3);
        assertThat(limits.addressLogins.lockFor()).isEqualTo(Duration.ofMinutes(2));
        assertThat(limits.accountLogins.lockAfter()).isEqualTo(50);
        assertThat(limits.streamsPerUser).isEqualTo(3);
        assertThat(limits.streamsPerAddress).isEqualTo(11);
        assertThat(network.idleTimeout).isEqualTo(Duration.ofSeconds(30));
        assertThat(network.headerTimeout).isEqualTo(Duration.ofSeconds(4));
        assertThat(network.maxHeaderBytes).isEqualTo(4096);
        assertThat(network.trustProxy).isTrue();
    }

    @Test
    void tlsFlagsPickPemOrPkcs12AndRefuseHalfOrBoth() {
        assertThat(parse("--tls-cert=c.pem", "--tls-key=k.pem").config().network.tls)
                .isEqualTo(new Tls.Pem(Path.of("c.pem"), Path.of("k.pem")));
        assertThat(parse("--tls-keystore=s.p12", "--tls-keystore-password=pw").config().network.tls)
                .isEqualTo(new Tls.Pkcs12(Path.of("s.p12"), "pw"));
        assertThatThrownBy(() -> parse("--tls-cert=c.pem").config()).isInstanceOf(ParameterException.class);
        assertThatThrownBy(() -> parse("--tls-keystore=s.p12", "--tls-key=k.pem").config())
                .isInstanceOf(ParameterException.class);
    }
}
