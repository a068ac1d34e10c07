package io.consolechat.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.consolechat.protocol.ErrorCode;

/** The shape every error of the API must have: its status and {@code {"error": code, "message": text}}. */
public final class ErrorReplies {
    private ErrorReplies() {
    }

    public static void assertError(Api.Reply reply, ErrorCode code) {
        assertThat(reply.status()).as("status of %s", reply).isEqualTo(code.status());
        assertThat(reply.headers().firstValue("Content-Type")).as("content type of %s", reply)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        var body = reply.json();
        assertThat(body.path("error").asText()).as("error code of %s", reply).isEqualTo(code.code());
        assertThat(body.path("message").asText()).as("message of %s", reply).isNotBlank();
        assertThat(body.properties()).as("fields of %s", reply).hasSize(2);
    }
}
