package io.consolechat.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The local addresses connections are spread over. Against a loopback server, Linux routes all of
 * 127.0.0.0/8 to the loopback interface, so 127.0.0.1, 127.0.0.2, ... each bring their own ephemeral
 * ports and count as different clients for per-address limits. Against any other server there is one
 * address: the system's choice.
 */
record SourceAddresses(InetAddress[] addresses) {

    static SourceAddresses forServer(InetAddress server, int count) {
        if (!server.isLoopbackAddress() || !(server.getAddress().length == 4) || count <= 1) {
            return new SourceAddresses(new InetAddress[] {null});
        }
        var addresses = new InetAddress[Math.min(count, 250)];
        for (int i = 0; i < addresses.length; i++) {
            try {
                addresses[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (i + 1)});
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return new SourceAddresses(addresses);
    }

    /** The address of the {@code index}-th of {@code total} connections: consecutive blocks share one. */
    InetAddress forConnection(int index, int total) {
        int perAddress = Math.max(1, (total + addresses.length - 1) / addresses.length);
        return addresses[Math.min(index / perAddress, addresses.length - 1)];
    }

    /** Round robin, for things spread evenly (token creation). */
    InetAddress roundRobin(int index) {
        return addresses[Math.floorMod(index, addresses.length)];
    }

    int size() {
        return addresses.length;
    }
}
