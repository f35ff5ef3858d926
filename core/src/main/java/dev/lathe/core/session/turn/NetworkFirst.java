package dev.lathe.core.session.turn;

import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.OutboundPermissions;
import dev.lathe.core.toolcall.CallPorts;
import dev.lathe.tools.Permissions;

/**
 * The project's network policy ({@code gate}, decision 120) as a call's network port: the pipeline puts it in front of
 * the call's permissions, so a URL it refuses is refused before anyone is asked.
 */
record NetworkFirst(OutboundGate gate) implements CallPorts.Network {
    @Override
    public Permissions inFrontOf(Permissions asks, String tool) {
        return OutboundPermissions.over(asks, gate, tool);
    }
}
