package io.consolechat.app;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "development" when run from classes. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        var version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"console-chat " + (version == null ? "development" : version)};
    }
}
