package io.consolechat.client.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSettingsTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("config.toml"), text);
    }

    @Test
    void aMissingFileIsTheDefaults() {
        assertThat(ConsoleSettings.read(dir.resolve("config.toml"))).isEqualTo(ConsoleSettings.defaults());
    }

    @Test
    void readsEverySetting() throws IOException {
        var settings = ConsoleSettings.read(write("""
                # console-chat settings
                bell = false
                time_format = "HH:mm:ss"
                color = "auto"
                highlight = ["Deploy", "release"]
                rooms = ["Lobby", "dev"]
                """));
        assertThat(settings.bell()).contains(false);
        assertThat(settings.color()).isEmpty();
        assertThat(settings.timeFormat()).isEqualTo("HH:mm:ss");
        assertThat(settings.rooms()).containsExactly("lobby", "dev");
        assertThat(settings.highlights("the deploy is done")).isTrue();
        assertThat(settings.highlights("RELEASE!")).isTrue();
        assertThat(settings.highlights("redeployed")).as("whole words only").isFalse();
        assertThat(new ConsoleSettings(Optional.empty(), "HH:mm", Optional.of(false), List.of(), List.of()).color())
                .contains(false);
    }

    @Test
    void mistakesAreNamedWithTheFile() throws IOException {
        assertThatThrownBy(() -> ConsoleSettings.read(write("bell = \"loud\"\n")))
                .hasMessageContaining("config.toml").hasMessageContaining("bell is true or false");
        assertThatThrownBy(() -> ConsoleSettings.read(write("rooms = [\"no room!\"]\n")))
                .hasMessageContaining("not a room name");
        assertThatThrownBy(() -> ConsoleSettings.read(write("colour = true\n")))
                .hasMessageContaining("unknown setting colour");
        assertThatThrownBy(() -> ConsoleSettings.read(write("time_format = \"HH:mm:bb\"\n")))
                .hasMessageContaining("time_format");
        assertThatThrownBy(() -> ConsoleSettings.read(write("rooms = [\n")))
                .hasMessageContaining("not valid TOML");
    }
}
