package io.consolechat.client.cli;

import java.util.List;
import picocli.CommandLine;

/** The client's subcommands, and a picocli factory that gives them an environment other than the process's. */
public final class ClientCommands {
    public static final List<Class<?>> ALL = List.of(
            ChatCommand.class, SendCommand.class, ListenCommand.class, LoginCommand.class, LogoutCommand.class,
            RoomsCommand.class, WhoCommand.class, HistoryCommand.class);

    private ClientCommands() {
    }

    /** Builds client commands on {@code environment}; anything else as picocli would. */
    public static CommandLine.IFactory factory(ClientEnvironment environment) {
        var defaults = CommandLine.defaultFactory();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (ClientCommand.class.isAssignableFrom(type)) {
                    return type.getDeclaredConstructor(ClientEnvironment.class).newInstance(environment);
                }
                return defaults.create(type);
            }
        };
    }
}
