package io.consolechat.client.cli;

import io.consolechat.client.ApiError;
import io.consolechat.client.ChatClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code console-chat send ROOM [TEXT...]}: posts TEXT, or each line of stdin. */
@Command(name = "send", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCode.USAGE,
        description = {"Send a message to a room: TEXT, or each line of standard input when no TEXT is given.",
                "Prints nothing on success."})
public final class SendCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room.")
    String room;

    @Parameters(index = "1..*", paramLabel = "TEXT", description = "The message; words are joined by spaces.")
    List<String> words;

    public SendCommand() {
        this(ClientEnvironment.system());
    }

    public SendCommand(ClientEnvironment environment) {
        super(environment);
    }

    @Override
    int execute() {
        var target = room(room);
        var client = client();
        var token = token(client);
        if (words != null && !words.isEmpty()) {
            client.send(token, target, String.join(" ", words));
            return ExitCode.OK;
        }
        var in = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    sendPatiently(client, token, target, line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
        return ExitCode.OK;
    }

    /** A long pipe runs into the server's message rate: wait as long as it says, then send the line again. */
    private static void sendPatiently(ChatClient client, String token, String room, String line) {
        while (true) {
            try {
                client.send(token, room, line);
                return;
            } catch (ApiError e) {
                var wait = e.retryAfter().filter(d -> e.status() == 429 && d.toSeconds() <= 60);
                if (wait.isEmpty()) {
                    throw e;
                }
                try {
                    Thread.sleep(wait.get().plusMillis(50));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
