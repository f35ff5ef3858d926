package dev.lathe.tui;

import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.session.Session;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.view.Picker;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code /model} and {@code /agent} (and Tab, which cycles the primary agents): what answers the next message, chosen
 * in a picker or by name, and kept in the {@link ModelChoice}.
 */
final class ModelCommands {
    /** What choosing needs of the UI: a command's needs, whether a session is open, and a picker. */
    interface Host extends CommandHost {
        Optional<Session> session();

        void openPicker(Picker<?> picker, Consumer<Object> onChoice);
    }

    /** The built-in agent of {@code /review} (the core's {@code BuiltinAgents.REVIEW}). */
    private static final String REVIEW_AGENT = "review";

    /** Whether the picker shows providers without a key. */
    private enum Fold { FOLDED, UNFOLDED }

    private final ModelChoice choice;
    private final RecentModels recentModels;
    private final Composer composer;
    private final Host ui;

    ModelCommands(ModelChoice choice, RecentModels recentModels, Composer composer, Host ui) {
        this.choice = choice;
        this.recentModels = recentModels;
        this.composer = composer;
        this.ui = ui;
    }

    /** {@code /model [REF]}: the picker, or the model named. */
    void model(String arguments) {
        if (arguments.isEmpty()) models();
        else chooseModel(arguments);
    }

    /** {@code /agent [NAME]}: the picker, or the agent named. */
    void agent(String arguments) {
        if (arguments.isEmpty()) agents();
        else agentNamed(arguments);
    }

    void models() { openModels(Fold.FOLDED, ""); }

    private void openModels(Fold fold, String filter) {
        List<ModelInfo> models = choice.models();
        List<String> recent = recentModels.list();
        var items = fold == Fold.FOLDED ? ModelMenu.folded(models, recent) : ModelMenu.all(models, recent);
        boolean usable = models.stream().filter(ModelInfo::chat).anyMatch(ModelMenu::hasKey);
        var picker = new Picker<>(usable ? "Model" : "Model · no provider has a key yet: choose one, then set its key", "enter choose · esc close",
                items, 10, true);
        List<ModelInfo> folded = fold == Fold.FOLDED ? models.stream().filter(ModelInfo::chat).filter(m -> !ModelMenu.hasKey(m)).toList() : List.of();
        picker.rankedBy((query, rows) -> ModelMenu.filter(query, rows, folded));
        if (!filter.isEmpty()) picker.type(filter);
        String current = choice.model();
        picker.selectWhere(r -> r instanceof ModelMenu.Row.Model m && m.model().ref().equals(current));
        ui.openPicker(picker, chosen -> {
            switch ((ModelMenu.Row) chosen) {
                case ModelMenu.Row.Model m -> chooseModel(m.model().ref());
                case ModelMenu.Row.MoreProviders _ -> openModels(Fold.UNFOLDED, picker.filter());
            }
        });
    }

    private void chooseModel(String ref) {
        choice.chooseModel(ref);
        recentModels.add(ref);
        choice.limit();
        ui.notice("Model: " + ref + (ui.session().isPresent() ? " (from the next message)" : ""));
        // at once, not at the next prompt: a model without a key cannot answer
        ModelMenu.keyWarning(ref, choice.models()).ifPresent(w -> ui.notice(List.of(ui.theme().paint(Role.WARNING, w))));
    }

    void agents() {
        List<AgentInfo> agents = primaryAgents();
        var picker = Picker.of("Agent", "enter choose · esc close", agents, AgentInfo::name, AgentInfo::description);
        String current = choice.agent();
        picker.selectWhere(a -> a.name().equals(current));
        ui.openPicker(picker, chosen -> chooseAgent(((AgentInfo) chosen).name()));
    }

    /** {@code /agent NAME}: a primary agent of the folder, used from the next message. */
    private void agentNamed(String name) {
        List<AgentInfo> agents = primaryAgents();
        // an empty list means the server could not be asked: let the prompt tell
        if (!agents.isEmpty() && agents.stream().noneMatch(a -> a.name().equals(name))) {
            ui.notice("Unknown agent " + name + "; primary agents: " + String.join(", ", agents.stream().map(AgentInfo::name).toList()));
            return;
        }
        chooseAgent(name);
        ui.notice("Agent: " + name + (ui.session().isPresent() ? " (from the next message)" : ""));
    }

    private void chooseAgent(String name) {
        choice.chooseAgent(name);
        composer.hint("");
    }

    /**
     * Tab: the next primary agent; shown in the footer at once and used from the next message. Not the built-in
     * {@code review}: it answers {@code /review}, one message at a time, and is no mode to work in ({@code /agent} still
     * offers it).
     */
    void cycleAgent(int step) {
        List<AgentInfo> agents = primaryAgents().stream().filter(a -> !a.name().equals(REVIEW_AGENT)).toList();
        if (agents.isEmpty()) return;
        String current = choice.agent();
        int at = 0;
        for (int i = 0; i < agents.size(); i++) if (agents.get(i).name().equals(current)) at = i;
        chooseAgent(agents.get(Math.floorMod(at + step, agents.size())).name());
    }

    /**
     * Shift+Tab: the next permission mode the folder offers (DESIGN §31), shown in the footer at once and sent with the
     * next message; {@code plan} is the plan agent, and leaving it goes back to the agent chosen before.
     */
    void cycleMode() {
        choice.cycleMode();
        composer.hint("");
    }

    private List<AgentInfo> primaryAgents() {
        return Ui.safe(() -> ui.api().agents(ui.directory())).stream().filter(a -> !a.mode().equals("subagent")).toList();
    }
}
