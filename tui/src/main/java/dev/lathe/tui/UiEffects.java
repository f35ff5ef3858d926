package dev.lathe.tui;

/**
 * The terminal UI's one effects port: everything a part of the UI may make happen beyond changing the state it was given —
 * requests to the server, the terminal's notices, the files it keeps, follow-ups on the UI's thread, and the actions
 * that combine them (attach a session, send a message, open a view). One object implements it ({@link UiActions}), over
 * the one {@link UiState}; each part is given it as the narrow view it declares ({@link CommandHost} and the
 * {@code Host} of the part), so a part's test fakes only what that part asks and a part cannot reach the rest.
 */
interface UiEffects extends Commands.Host, TrustQuestion.Host, WorktreeCommands.Host, PermissionsCommand.Host, ConnectCommand.Host, SessionsCommand.Host,
        ReportCommands.Host, AgentsCommand.Host, ProcessesCommand.Host, ModelCommands.Host, RewindCommand.Host, GoalCommand.Host, TeamPanel.Host, DiffPanel.Host,
        ServerWatch.Host,
        ServerEvents.Host, KeyHandler.Host {}
