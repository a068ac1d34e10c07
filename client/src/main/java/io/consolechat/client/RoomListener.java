package io.consolechat.client;

import io.consolechat.protocol.Event;

/** What a {@link RoomFollow} reports, on its own thread: each event once, in order, and state changes. */
public interface RoomListener {
    void onEvent(Event event);

    void onState(ConnectionState state);
}
