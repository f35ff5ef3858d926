package dev.lathe.tui;

import dev.lathe.protocol.api.ModelInfo;
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
    private TerminalUi.Approvals approvals = TerminalUi.Approvals.PERSON;

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

    /** Who answers first the asks of the messages sent from now on ({@code lathe --auto}; DESIGN §31). */
    void approvedBy(TerminalUi.Approvals who) { approvals = who; }

    TerminalUi.Approvals approvals() { return approvals; }

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

    String agent() { return agent.orElseGet(() -> attached.session().map(Session::agent).orElse("build")); }

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
