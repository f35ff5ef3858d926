package dev.lathe.tui;

import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.ModesInfo;
import dev.lathe.protocol.api.PermissionMode;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Optional;

/**
 * The agent and model the next message goes to (chosen here, else the session's, else the configured or the server's
 * default), the server's model list they are chosen from, and the chosen model's context window for the footer.
 * Owned by the UI's loop and changed on its thread alone.
 */
final class ModelChoice {
    private final ServerConnection server;
    private final String directory;
    private final AttachedSession attached;
    /** The model the folder's config names, or empty. */
    private final String configured;
    private Optional<String> agent = Optional.empty();
    private Optional<String> model = Optional.empty();
    private Optional<List<ModelInfo>> models = Optional.empty();
    private int contextLimit;
    /** The permission mode chosen here (Shift+Tab, {@code lathe --auto}), if any: sent with each message. */
    private Optional<PermissionMode> mode = Optional.empty();
    /** The agent before Shift+Tab entered plan mode: leaving it goes back there. */
    private Optional<String> beforePlan = Optional.empty();
    private Optional<ModesInfo> modes = Optional.empty();

    ModelChoice(ServerConnection server, String directory, AttachedSession attached, String configured) {
        this.server = server;
        this.directory = directory;
        this.attached = attached;
        this.configured = configured;
    }

    /** The agent chosen in this UI (start option, /agent, Tab), if any: sent with each message. */
    Optional<String> agentChosen() { return agent; }

    /** The model chosen in this UI (start option, /model), if any: sent with each message. */
    Optional<String> modelChosen() { return model; }

    void chooseAgent(String name) { agent = Optional.of(name); }

    /** Who answers the asks of the messages sent from now on ({@code lathe --auto}: the classifier; DESIGN §31). */
    void chooseMode(PermissionMode chosen) { mode = Optional.of(chosen); }

    /**
     * The mode of the next message: {@code plan} while the agent is the plan agent (chosen by Shift+Tab, Tab or
     * {@code /agent}), else the one chosen here, else the one the folder starts sessions in; never {@code plan} for
     * another agent (the server refuses a mode that contradicts the agent).
     */
    PermissionMode mode() {
        if (agent().equals(PermissionMode.PLAN.wire())) return PermissionMode.PLAN;
        PermissionMode m = mode.orElseGet(() -> modes().start());
        return m == PermissionMode.PLAN ? PermissionMode.DEFAULT : m;
    }

    /** The mode to send: none until the user chose one, so the folder's {@code defaultMode} holds on the server. */
    Optional<PermissionMode> modeChosen() { return mode.map(_ -> mode()); }

    /**
     * Shift+Tab: the mode after this one among those the folder offers ({@code default → acceptEdits → plan → auto}),
     * round; entering {@code plan} chooses the plan agent, leaving it the agent chosen before.
     */
    void cycleMode() {
        List<PermissionMode> offered = modes().modes();
        PermissionMode now = mode();
        PermissionMode next = offered.get((offered.indexOf(now) + 1) % offered.size());
        if (now == PermissionMode.PLAN) agent = Optional.of(beforePlan.filter(a -> !a.equals(PermissionMode.PLAN.wire())).orElse(DEFAULT_AGENT));
        if (next == PermissionMode.PLAN) {
            beforePlan = Optional.of(agent());
            agent = Optional.of(PermissionMode.PLAN.wire());
        }
        mode = Optional.of(next);
    }

    /**
     * What the footer says beside the agent: nothing in the default mode, nor in plan mode, whose agent is {@code plan}
     * (named beside it, and marked {@code plan ›} in the prompt line): {@code plan · plan mode} said it twice.
     */
    static Optional<String> label(PermissionMode mode) {
        return switch (mode) {
            case DEFAULT, PLAN -> Optional.empty();
            case ACCEPT_EDITS -> Optional.of("accept edits");
            case AUTO -> Optional.of("auto");
        };
    }

    /** The modes the folder offers, fetched once; a server without the route offers the three that need no classifier. */
    ModesInfo modes() {
        if (modes.isEmpty()) {
            try {
                modes = Optional.of(server.api().modes(directory));
            } catch (RuntimeException e) {
                // asked once: the footer draws often, and an older server will not learn the route meanwhile
                modes = Optional.of(new ModesInfo(List.of(PermissionMode.DEFAULT, PermissionMode.ACCEPT_EDITS, PermissionMode.PLAN), PermissionMode.DEFAULT,
                        Optional.empty(), Optional.empty()));
            }
        }
        return modes.get();
    }

    private static final String DEFAULT_AGENT = "build";

    void chooseModel(String ref) { model = Optional.of(ref); }

    /**
     * The model of the next message: the one chosen here, else the session's, else the configured one, else the
     * server's default for a new session (the first provider with a key); empty when nothing is usable.
     */
    String model() {
        return model.or(() -> attached.session().map(Session::model)).or(() -> Optional.of(configured).filter(m -> !m.isEmpty()))
                .or(() -> models().stream().filter(ModelInfo::sessionDefault).map(ModelInfo::ref).findFirst())
                .orElse("");
    }

    String agent() { return agent.orElseGet(() -> attached.session().map(Session::agent).orElse(DEFAULT_AGENT)); }

    /** The catalog and configured models, fetched once: thousands of entries, and the footer needs one. */
    List<ModelInfo> models() {
        if (models.isEmpty()) {
            List<ModelInfo> fetched = Ui.safe(() -> server.api().models(directory));
            if (fetched.isEmpty()) return fetched;  // the footer shows the context without a limit; try again later
            models = Optional.of(fetched);
        }
        return models.get();
    }

    /** Fetches the models again when next needed (a key was saved, or another server answers). */
    void refresh() { models = Optional.empty(); }

    /** The footer's context limit, from the model's provider's list: the whole one (1.1 MiB) cost an open seconds. */
    void limit() {
        String ref = model();
        contextLimit = 0;
        int slash = ref.indexOf('/');
        var candidates = models.orElseGet(() -> slash <= 0 ? List.of() : Ui.safe(() -> server.api().models(directory, ref.substring(0, slash))));
        candidates.stream().filter(m -> m.ref().equals(ref)).findFirst().ifPresent(m -> contextLimit = m.context());
    }

    /** The chosen model's context window in tokens, or 0 when unknown. */
    int contextLimit() { return contextLimit; }
}
