package dev.lathe.tui;

import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.ProviderSignInStarted;
import dev.lathe.protocol.event.Event;
import dev.lathe.tui.text.Role;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * {@code /connect PROVIDER [--device]}: signs in to a subscription through the server ({@code POST
 * /auth/PROVIDER/sign-in}): ChatGPT Plus/Pro for {@code openai}, GitHub Copilot for {@code github-copilot}. Shows the
 * page to open (opening it when a desktop browser is at hand) and, for a device code, the code to type; the outcome
 * arrives as the {@code auth.signin} event. Claude plans are not offered (decision 121): the message says why.
 * {@code /connect PROVIDER} for any other provider (or {@code /connect openai --key}) takes an API key instead: the
 * next line typed is the key, shown as dots, kept out of the history, and saved by the server ({@code PUT /auth}).
 */
final class ConnectCommand implements ApiKeyEntry {
    /** What {@code /connect} needs of the UI: a command's needs, and to fetch the models again once a key is saved. */
    interface Host extends CommandHost {
        void refreshModels();
    }

    private final Host ui;

    /** The providers {@code /connect} signs in to with a subscription; any other takes an API key. */
    static final java.util.Set<String> SUBSCRIPTIONS = java.util.Set.of("openai", "github-copilot");

    /** The provider whose API key the next line typed is, while one is asked for. */
    private java.util.Optional<String> keyFor = java.util.Optional.empty();

    ConnectCommand(Host ui) { this.ui = ui; }

    @Override
    public boolean takingKey() { return keyFor.isPresent(); }

    @Override
    public String keyProvider() { return keyFor.orElse(""); }

    @Override
    public void cancelKey() {
        keyFor = java.util.Optional.empty();
        ui.notice(List.of(ui.theme().paint(Role.MUTED, "No key saved.")));
    }

    @Override
    public void saveKey(String key) {
        String provider = keyFor.orElseThrow();
        keyFor = java.util.Optional.empty();
        if (key.isBlank()) {
            ui.notice(List.of(ui.theme().paint(Role.MUTED, "No key saved.")));
            return;
        }
        ui.api().setAuth(provider, new AuthRequest(key.strip()));
        ui.notice(List.of(ui.theme().paint(Role.SUCCESS, "✓ Saved a key for " + provider + ": its models are ready (/model to choose one)")));
        ui.refreshModels();
    }

    void run(String arguments) {
        String[] words = arguments.isBlank() ? new String[0] : arguments.strip().split("\\s+");
        boolean device = List.of(words).contains("--device");
        boolean withKey = List.of(words).contains("--key");
        List<String> rest = new ArrayList<>(List.of(words));
        rest.remove("--device");
        rest.remove("--key");
        if (rest.size() == 1 && (withKey || !SUBSCRIPTIONS.contains(rest.getFirst()))) {
            keyFor = java.util.Optional.of(rest.getFirst());
            ui.notice(List.of(ui.theme().paint(Role.HEADING, "API key for " + rest.getFirst()),
                    ui.theme().paint(Role.MUTED, "  paste it and press enter: it shows as dots, is not kept in the history, and is saved"
                            + " in Lathe's key file (as `lathe auth login` does); esc cancels")));
            return;
        }
        if (rest.size() != 1) {
            ui.notice(List.of(ui.theme().paint(Role.HEADING, "Sign in with a subscription"),
                    new AttributedString("  /connect openai            ChatGPT Plus/Pro (a browser on this machine)"),
                    new AttributedString("  /connect openai --device   ChatGPT Plus/Pro with a code, from any browser"),
                    new AttributedString("  /connect github-copilot    GitHub Copilot (a code on github.com)"),
                    new AttributedString("  /connect PROVIDER          an API key (anthropic, google, openrouter…; openai --key)"),
                    ui.theme().paint(Role.MUTED, "  Claude plans cannot sign in here (Anthropic's terms); use Claude Code as an ACP agent")));
            return;
        }
        String provider = rest.getFirst();
        Thread.ofVirtual().name("lathe-connect").start(() -> {
            Runnable followUp;
            try {
                followUp = started(ui.api().signInProvider(ui.directory(), provider, device));
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.error(message);
            }
            ui.later(followUp);
        });
    }

    /** The sign-in's end, for the transcript: true when {@code event} was one. */
    boolean finished(Event event) {
        if (!(event instanceof Event.ProviderSignInFinished done)) return false;
        if (done.signedIn()) ui.notice(List.of(ui.theme().paint(Role.SUCCESS, "✓ Signed in: " + done.provider() + "'s models now use your subscription")));
        else ui.error("could not sign in to " + done.provider() + ": " + done.error().orElse("unknown reason"));
        return true;
    }

    private Runnable started(ProviderSignInStarted started) {
        boolean opened = started.userCode().isEmpty() && McpCommands.openBrowser(started.url());
        var lines = new ArrayList<AttributedString>();
        lines.add(ui.theme().paint(Role.HEADING, "Sign in to " + started.plan()));
        if (started.userCode().isPresent()) {
            lines.add(new AttributedString("  Open this page in any browser and enter the code " + started.userCode().get() + ":"));
        } else {
            lines.add(new AttributedString("  " + (opened ? "Opened in your browser; if it did not appear, open:" : "Open in a browser on this machine:")));
        }
        lines.add(ui.theme().paint(Role.LINK, "  " + started.url()));
        lines.add(ui.theme().paint(Role.MUTED, "  this says when the sign-in is done"));
        return () -> ui.notice(lines);
    }
}
