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
import java.util.Optional;
import java.util.Set;

/**
 * {@code report_findings}: the review agent's report (DESIGN §18 "Review"). It changes nothing: the call's input, kept
 * with the session like every tool call's, is the report, which {@code lathe review} and the user interfaces read back.
 * Checking the shape here lets the model correct a malformed report in the same turn.
 */
final class ReportFindingsTool implements Tool<ReportFindingsTool.Args> {
    record Finding(int priority, String file, Optional<Integer> line, Optional<Integer> endLine, String title, String body) {}

    record Args(List<Finding> findings, String summary) {}

    private static final String DESCRIPTION = Builtins.description("report_findings");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "findings":{"type":"array","description":"Every finding, most important first; empty when the change looks right","items":{"type":"object","properties":{\
            "priority":{"type":"integer","minimum":0,"maximum":3,"description":"0 must fix, 1 should fix, 2 worth fixing, 3 nit"},\
            "file":{"type":"string","description":"Path relative to the repository root"},\
            "line":{"type":"integer","minimum":1,"description":"First line the finding is about"},\
            "endLine":{"type":"integer","minimum":1,"description":"Last line (default: line)"},\
            "title":{"type":"string","description":"One short line"},\
            "body":{"type":"string","description":"What is wrong, why it matters, how to fix it"}},\
            "required":["priority","file","title","body"],"additionalProperties":false}},\
            "summary":{"type":"string","description":"One paragraph: what the change does and its overall state"}},\
            "required":["findings","summary"],"additionalProperties":false}""";

    @Override public String name() { return "report_findings"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.REPORTS_FINDINGS); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        if (args.findings() == null) throw new ToolFailure("findings is required: a list, empty when the change looks right");
        for (int i = 0; i < args.findings().size(); i++) check(args.findings().get(i), i + 1);
        int count = args.findings().size();
        return new ToolResult("Recorded " + count + " finding(s). The review is complete: end your turn without repeating them.", count + " finding(s)",
                Map.of("findings", Integer.toString(count)));
    }

    private static void check(Finding f, int number) {
        String which = "finding " + number + ": ";
        if (f == null) throw new ToolFailure(which + "not an object");
        if (f.priority() < 0 || f.priority() > 3) throw new ToolFailure(which + "priority must be 0, 1, 2 or 3");
        if (f.file() == null || f.file().isBlank()) throw new ToolFailure(which + "file is required (a path relative to the repository root)");
        if (f.title() == null || f.title().isBlank()) throw new ToolFailure(which + "title is required");
        if (f.line().filter(l -> l < 1).isPresent() || f.endLine().filter(l -> l < 1).isPresent()) throw new ToolFailure(which + "lines start at 1");
    }
}
