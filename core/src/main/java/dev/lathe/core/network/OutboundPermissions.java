package dev.lathe.core.network;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolFailure;
import java.net.URI;

/**
 * A call's permissions with the project's network policy in front: a check whose subject is a URL (what
 * {@code webfetch}, and any tool that declares a URL argument, asks about) and every redirect hop the tool announces
 * ({@link Permissions#connecting}) must pass the {@link OutboundGate} first; a refusal is a {@link ToolFailure} the
 * model reads, and nobody is asked.
 */
public record OutboundPermissions(Permissions inner, OutboundGate gate, String tool) implements Permissions {
    /** {@code inner} as is when the policy is open (nothing to check). */
    public static Permissions over(Permissions inner, OutboundGate gate, String tool) {
        return gate.isLocal() ? new OutboundPermissions(inner, gate, tool) : inner;
    }

    @Override
    public void require(PermissionCheck check) {
        if (check.subject() == PermissionSource.Pattern.URL) check.patterns().forEach(this::connecting);
        inner.require(check);
    }

    @Override
    public boolean denies(PermissionCheck check) { return inner.denies(check); }

    @Override
    public void connecting(URI target) {
        if (!gate.allows(Purpose.tool(tool), target)) throw new ToolFailure(gate.refusal(Purpose.tool(tool), target));
        inner.connecting(target);
    }

    private void connecting(String url) {
        URI target;
        try {
            target = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new ToolFailure("local-only mode (\"network\": \"local\"): not a URL, so not known to be loopback: " + url);
        }
        connecting(target);
    }
}
