package dev.lathe.tools.builtin;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code send_message}: a message to a teammate, the lead, or everyone else of the team (DESIGN §18 "Agent teams"). */
final class SendMessageTool implements Tool<SendMessageTool.Args> {
    record Args(String to, String text) {}

    private static final String DESCRIPTION = Builtins.description("send_message");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "to":{"type":"string","description":"A member's name, lead, or * for everyone else"},\
            "text":{"type":"string"}},\
            "required":["to","text"],"additionalProperties":false}""";

    @Override public String name() { return "send_message"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.WORKS_IN_TEAM); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        if (args.to() == null || args.to().isBlank()) throw new ToolFailure("to must name a member, lead, or *");
        if (args.text() == null || args.text().isBlank()) throw new ToolFailure("text must say something");
        List<String> reached = ctx.session().team().send(args.to().strip(), args.text());
        return new ToolResult("sent to " + String.join(", ", reached), args.to().strip(), Map.of());
    }
}
