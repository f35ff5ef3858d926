package dev.lathe.core.session;

import dev.lathe.core.editor.EditorAttachments;
import dev.lathe.core.imports.HistoryImports;
import dev.lathe.core.question.QuestionBroker;
import dev.lathe.core.session.history.SessionUndo;
import dev.lathe.core.worktree.Worktrees;

/**
 * The session services the API calls, one per concept (issue 41), each called directly rather than through one facade:
 * {@code sessions} their life and their prompts (create, list, prompt, abort, shell, commands, compaction, update,
 * delete, fork, export and import, approvals); {@code reads} what a client reads of one; {@code undo} revert and
 * unrevert; {@code worktrees} the git worktrees they run in; {@code editors} the editors attached to them;
 * {@code questions} the questions waiting for an answer; {@code imports} other harnesses' sessions,
 * {@code exports} a session written into their storage. Built once by the
 * sessions' wiring ({@link Sessions#api}), handed to {@code LocalLathe} by the composition root.
 */
public record SessionApi(Sessions sessions, SessionReads reads, SessionUndo undo, Worktrees worktrees, EditorAttachments editors,
        QuestionBroker questions, HistoryImports imports, SessionExports exports) {}
