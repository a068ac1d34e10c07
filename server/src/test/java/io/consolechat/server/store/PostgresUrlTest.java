package io.consolechat.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consolechat.server.error.StoreException;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    @Test
    void theLibpqFormBecomesAJdbcUrlWithItsUserAndPassword() {
        var url = PostgresUrl.parse("postgresql://chat:s%40cret@db.example:5433/chat?sslmode=require", null);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/chat?sslmode=require");
        assertThat(url.user()).isEqualTo("chat");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url.toString()).isEqualTo("postgresql://chat@db.example:5433/chat").doesNotContain("cret");
    }

    @Test
    void aPasswordGivenApartIsUsedWhenTheUrlHasNone() {
        assertThat(PostgresUrl.parse("postgres://chat@localhost/chat", "from-env").password()).isEqualTo("from-env");
        assertThat(PostgresUrl.parse("postgresql://chat:in-url@localhost/chat", "from-env").password())
                .isEqualTo("in-url");
    }

    @Test
    void aJdbcUrlIsAcceptedAsItIs() {
        var url = PostgresUrl.parse("jdbc:postgresql://localhost:5432/chat?ApplicationName=x", null);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/chat?ApplicationName=x");
        assertThat(url.user()).isNull();
    }

    @Test
    void anythingElseIsRefusedWithoutEchoingAPassword() {
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://root:pw@localhost/chat", null))
                .isInstanceOf(StoreException.class).hasMessageNotContaining("pw");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql:///nohost", null)).isInstanceOf(StoreException.class);
    }
}
