package dev.lathe.tui;

import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.view.Footer;
import dev.lathe.tui.view.WorktreeLabel;
import java.util.Optional;

/**
 * The footer's figures, read afresh on each paint from the state they come from: the agent and model, the context
 * filled and its limit, the cost and tokens (the session's totals plus the running answer's finished steps), the
 * input's hint, the MCP servers, the worktree and the tightest rate-limit window.
 */
final class FooterLine {
    private final AttachedSession attached;
    private final ModelChoice choice;
    private final TurnSpend spend;
    private final ContextFill contextFill;
    private final McpServers mcp;
    private final Composer composer;

    FooterLine(AttachedSession attached, ModelChoice choice, TurnSpend spend, ContextFill contextFill, McpServers mcp, Composer composer) {
        this.attached = attached;
        this.choice = choice;
        this.spend = spend;
        this.contextFill = contextFill;
        this.mcp = mcp;
        this.composer = composer;
    }

    Footer footer() {
        Session s = attached.session().orElse(null);
        // the session's totals grow when an answer ends: the running answer's finished steps are added meanwhile
        long cost = (s == null ? 0 : s.cost()) + spend.cost();
        Usage usage = (s == null ? Usage.ZERO : s.usage()).plus(spend.usage());
        // the permission mode beside the agent, as Claude Code's footer names it: a person reading it knows who answers asks
        String agent = choice.agent() + ModelChoice.label(choice.mode()).map(l -> " · " + l).orElse("");
        var left = new Footer.Left(agent, choice.model(), s == null ? Optional.empty() : s.worktree().map(WorktreeLabel::of), composer.state().hint());
        boolean imported = s != null && s.importedFrom().isPresent();
        return new Footer(left, contextFill.tokens(), choice.contextLimit(), cost, usage, mcp.summary(), spend.quota(), imported);
    }
}
