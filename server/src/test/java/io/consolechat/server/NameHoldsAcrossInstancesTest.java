package io.consolechat.server;

import static io.consolechat.server.testing.ErrorReplies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;
import io.consolechat.protocol.User;
import io.consolechat.protocol.UserKind;
import io.consolechat.server.testing.Api;
import io.consolechat.server.testing.PostgresExtension;
import io.consolechat.server.testing.PostgresExtension.Postgres;
import io.consolechat.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A temporary name is held on every server of one PostgreSQL database: while a temporary user holds it
 * through one server, a name-only login for it through another is refused, whatever the case; after the
 * holder logs out, the other server gives the name to someone new.
 */
@ExtendWith(PostgresExtension.class)
class NameHoldsAcrossInstancesTest {

    @Test
    void aTemporaryNameHeldOnOneServerIsTakenOnTheOtherUntilLogout(Postgres postgres) {
        var database = postgres.newDatabase();
        try (var a = TestServer.start(c -> c.storage.database = database);
             var b = TestServer.start(c -> c.storage.database = database)) {
            var apiA = new Api(a);
            var apiB = new Api(b);
            var holder = apiA.login("bob", null);
            assertThat(apiA.get("/me", holder).user()).isEqualTo(new User("bob", UserKind.TEMPORARY));

            for (var name : new String[] {"bob", "BOB"}) {
                assertError(apiB.loginReply(name, null), ErrorCode.INVALID_CREDENTIALS);
            }
            // A password does not take it either: the name is not a free one to register.
            assertError(apiB.loginReply("bob", "correct horse"), ErrorCode.INVALID_CREDENTIALS);

            assertThat(apiA.post("/logout", holder, null).status()).isEqualTo(204);
            var taken = apiB.loginReply("Bob", null);
            assertThat(taken.status()).isEqualTo(200);
            var newcomer = taken.json().path("token").asText();
            assertThat(apiB.get("/me", newcomer).user()).isEqualTo(new User("Bob", UserKind.TEMPORARY));
            // And now A refuses it in turn.
            assertError(apiA.loginReply("bob", null), ErrorCode.INVALID_CREDENTIALS);
        }
    }
}
