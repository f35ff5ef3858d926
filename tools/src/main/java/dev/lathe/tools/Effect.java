package dev.lathe.tools;

/**
 * What calling a tool may do beyond answering the model, declared by the tool ({@link Tool#effects}). The core
 * decides from these — never from a tool's name — whether a step needs a snapshot, which calls run one at a time, and
 * which tools a read-only agent is offered.
 *
 * <p>Changing files comes in two kinds. A tool that knows exactly what it changed ({@code edit}, {@code write},
 * {@code apply_patch}) declares {@link #WRITES_FILES} and lists the files in {@link ToolResult#changedFiles}; the
 * step's snapshot then adds just those, and such calls run one at a time so two edits of one file never interleave.
 * A tool that cannot know ({@code bash} runs anything, {@code task} starts a subagent that may do anything) declares
 * {@link #MAY_CHANGE_ANY_FILE}; the snapshot after its step then scans the whole tree.
 */
public enum Effect {
    /** Reads files (of the project or outside it). */
    READS_FILES,
    /** Changes files and reports every one it changed in {@link ToolResult#changedFiles}. */
    WRITES_FILES,
    /** May change files it does not report: any file of the project may differ after the call. */
    MAY_CHANGE_ANY_FILE,
    /** Starts or controls operating-system processes. */
    RUNS_PROCESSES,
    /** Reaches hosts over the network. */
    REACHES_NETWORK,
    /** Asks the user and waits for the answer. */
    TALKS_TO_USER,
    /** Starts a subagent: a child session with tools of its own. */
    STARTS_SUBAGENTS,
    /**
     * Reports on or stops the session's background subagents ({@code task_status}, {@code task_cancel}): offered where a
     * tool that starts subagents is, and nowhere else.
     */
    TRACKS_SUBAGENTS,
    /**
     * Reads or stops the session's background commands ({@code bash_output}, {@code bash_kill}): offered, after every
     * other tool, once the session started something in the background (decision 494), so no other request carries them.
     */
    TRACKS_COMMANDS,
    /**
     * Loads one of the project's skills ({@code skill}): offered only while system block B lists a skill (decision 494),
     * so the tool appears and goes with the listing it names, never apart from it.
     */
    LOADS_SKILLS,
    /**
     * Reads back the session's todo list ({@code todoread}): offered only to an agent whose {@code tools} list names it
     * (decision 494): the list the model wrote is in its context already, and compaction carries it over.
     */
    READS_TODOS,
    /**
     * Makes an agent team ({@code team_create}, DESIGN §18 "Agent teams"): offered only where {@code agents.maxTeamMembers}
     * allows teams and the session is in no team yet, so the default first request keeps its size.
     */
    MAKES_TEAMS,
    /**
     * Works with the session's agent team ({@code send_message}, {@code team_tasks}): offered only to a session that leads
     * a team or is one of its members.
     */
    WORKS_IN_TEAM,
    /**
     * Reports the session's spend against its limits ({@code budget}): offered only where a spend limit is configured,
     * so the default first request stays within its size (decision 119).
     */
    READS_SPEND,
    /**
     * Reports a code review's findings ({@code report_findings}, DESIGN §18 "Review"): offered only to an agent whose
     * {@code tools} list names it (the built-in {@code review}), so no other agent's requests carry it.
     */
    REPORTS_FINDINGS;

    /**
     * The effects of tools offered only where they apply (a spend limit set, a review, something started in the
     * background, teams allowed, a team joined, a skill listed, a tools list naming them): no plain session's first request carries them, so the budget of DESIGN §16 counts
     * every other tool and none of these.
     */
    public static boolean offeredOnlyWhereItApplies(java.util.Set<Effect> effects) {
        return effects.contains(READS_SPEND) || effects.contains(REPORTS_FINDINGS) || effects.contains(TRACKS_SUBAGENTS)
                || effects.contains(MAKES_TEAMS) || effects.contains(WORKS_IN_TEAM) || effects.contains(TRACKS_COMMANDS)
                || effects.contains(LOADS_SKILLS) || effects.contains(READS_TODOS);
    }

    /** Whether a call with {@code effects} may leave the project's files different. */
    public static boolean changesFiles(java.util.Set<Effect> effects) {
        return effects.contains(WRITES_FILES) || effects.contains(MAY_CHANGE_ANY_FILE);
    }
}
