package dev.lathe.tui;

import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.api.WorktreeMerge;
import dev.lathe.protocol.api.WorktreeRemoveRequest;
import dev.lathe.tui.text.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * {@code /worktree [merge NAME | remove NAME [--force]]} (DESIGN §19): the repository's session worktrees with branch,
 * ahead/behind, uncommitted changes and session; merging one into the main checkout, removing one. git runs in the
 * server on a virtual thread of this client, never on the UI's.
 */
final class WorktreeCommands {
    /** What the worktree commands need of the UI: a command's needs and the open session (its worktree's repository). */
    interface Host extends CommandHost {
        Optional<Session> session();
    }

    private final Host ui;

    WorktreeCommands(Host ui) { this.ui = ui; }

    void run(String arguments) {
        String[] words = arguments.isBlank() ? new String[0] : arguments.strip().split("\\s+");
        if (words.length == 0 || words.length == 1 && words[0].equals("list")) {
            background(() -> {
                List<WorktreeInfo> trees = ui.api().worktrees(repository());
                return () -> list(trees);
            });
        } else if (words.length == 2 && words[0].equals("merge")) {
            background(() -> {
                WorktreeMerge m = ui.api().mergeWorktree(repository(), words[1]);
                return () -> ui.notice(List.of(ui.theme().paint(Role.SUCCESS, "✓ Merged " + m.branch() + " into " + m.into()
                        + m.committed().map(c -> " (its uncommitted changes committed first)").orElse(""))));
            });
        } else if ((words.length == 2 || words.length == 3 && words[2].equals("--force")) && words[0].equals("remove")) {
            var force = words.length == 3 ? WorktreeRemoveRequest.Force.force : WorktreeRemoveRequest.Force.safe;
            background(() -> {
                WorktreeInfo t = ui.api().removeWorktree(new WorktreeRemoveRequest(repository(), words[1], force));
                return () -> ui.notice(List.of(ui.theme().paint(Role.SUCCESS, "✓ Removed worktree " + t.name() + " and branch " + t.branch())));
            });
        } else {
            ui.error("/worktree takes nothing (the list), merge NAME or remove NAME [--force]");
        }
    }

    /**
     * The repository whose worktrees these are: the session's main checkout when it runs in a worktree (one a
     * {@code WorktreeCreate} hook made may lie outside the repository, where the folder alone leads nowhere), else the
     * folder the UI runs in.
     */
    private String repository() {
        return ui.session().flatMap(s -> s.worktree()).map(w -> w.mainCheckout()).orElse(ui.directory());
    }

    private void list(List<WorktreeInfo> trees) {
        if (trees.isEmpty()) {
            ui.notice("No worktrees in this repository (lathe --worktree starts a session in one)");
            return;
        }
        int width = trees.stream().mapToInt(t -> t.name().length()).max().orElse(0);
        var lines = new ArrayList<AttributedString>();
        lines.add(ui.theme().paint(Role.HEADING, "Worktrees"));
        for (WorktreeInfo t : trees) {
            String status = "↑" + t.ahead() + " ↓" + t.behind() + (t.dirty() ? "  uncommitted changes" : "");
            lines.add(AttributedString.join(AttributedString.EMPTY, new AttributedString("  " + t.name() + " ".repeat(width - t.name().length())
                    // a WorktreeCreate hook's has no branch of Lathe's: its folder says where it is
                    + "  " + (t.branch().isEmpty() ? t.path() : t.branch()) + "  "), ui.theme().paint(t.dirty() ? Role.WARNING : Role.MUTED, status),
                    ui.theme().paint(Role.MUTED, t.session().map(s -> "  " + s).orElse(""))));
        }
        lines.add(ui.theme().paint(Role.MUTED, "  /worktree merge NAME merges one into this checkout, /worktree remove NAME drops it"));
        ui.notice(lines);
    }

    private void background(java.util.concurrent.Callable<Runnable> call) {
        Thread.ofVirtual().name("lathe-worktree").start(() -> {
            Runnable followUp;
            try {
                followUp = call.call();
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.error(message);
            }
            ui.later(followUp);
        });
    }
}
