package dev.lathe.core.toolcall;

import dev.lathe.tools.Diagnostics;
import dev.lathe.tools.ProcessLauncher;
import java.util.List;

/**
 * The pluggable steps of the pipeline, wired once where the core is built: pre-call hooks (in order), post-call hooks
 * (in order), the process launcher every tool's processes start through (where a sandbox wraps them), the diagnostics
 * port for changed files, the audit log. {@link #DEFAULT} passes everything through: no hooks, processes started
 * directly, no diagnostics, nothing audited.
 */
public record ToolCallSeams(List<PreCallHook> preCall, List<PostCallHook> postCall, ProcessLauncher launcher, Diagnostics diagnostics,
        AuditLog audit) {
    public ToolCallSeams {
        preCall = List.copyOf(preCall);
        postCall = List.copyOf(postCall);
    }

    public static final ToolCallSeams DEFAULT = new ToolCallSeams(List.of(), List.of(), ProcessLauncher.DIRECT, Diagnostics.NONE, AuditLog.NONE);

    public ToolCallSeams withPreCall(PreCallHook hook) { return new ToolCallSeams(append(preCall, hook), postCall, launcher, diagnostics, audit); }

    public ToolCallSeams withPostCall(PostCallHook hook) { return new ToolCallSeams(preCall, append(postCall, hook), launcher, diagnostics, audit); }

    public ToolCallSeams withLauncher(ProcessLauncher l) { return new ToolCallSeams(preCall, postCall, l, diagnostics, audit); }

    public ToolCallSeams withDiagnostics(Diagnostics d) { return new ToolCallSeams(preCall, postCall, launcher, d, audit); }

    public ToolCallSeams withAudit(AuditLog a) { return new ToolCallSeams(preCall, postCall, launcher, diagnostics, a); }

    private static <T> List<T> append(List<T> list, T more) {
        var out = new java.util.ArrayList<>(list);
        out.add(more);
        return out;
    }
}
