package dev.lathe.tui;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import dev.lathe.term.VisibleControls;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jline.utils.AttributedString;

/**
 * The status line at the bottom of the terminal UI (DESIGN §27): the first line the folder's status line command
 * printed ({@code GET /sessions/{id}/status-line}, run by the server as a hook is), fetched again when what it
 * describes changed (the session's model, agent, cost, tokens, whether it works), at most every {@link #MIN_GAP_MS}
 * as Claude Code does, off the UI thread. Colours and other escape sequences are dropped and any control left is made
 * visible by the one sanitiser ({@link VisibleControls}).
 */
final class StatusLineFeed {
    static final long MIN_GAP_MS = 300;
    /** CSI (colours, cursor moves), OSC (titles, links, the clipboard) and the other two-character escapes. */
    private static final Pattern ESCAPES = Pattern.compile("\u001b\\[[0-?]*[ -/]*[@-~]|\u001b\\][^\u0007\u001b]*(?:\u0007|\u001b\\\\)?|\u001b[@-Z\\\\-_]");

    private final Supplier<LatheApi> api;
    private final Consumer<Runnable> later;
    private volatile String text = "";
    /** The state last fetched for; touched on the UI thread only. */
    private Object fetchedFor;
    private volatile boolean running;
    private volatile long lastStart;
    /** A server without the route (an older one): never asked again. */
    private volatile boolean unsupported;

    /** @param later runs its task on the UI thread, which then paints again */
    StatusLineFeed(Supplier<LatheApi> api, Consumer<Runnable> later) {
        this.api = api;
        this.later = later;
    }

    /** The line for this paint, fetching it again first when {@code session} changed since the last fetch. */
    List<AttributedString> lines(Optional<Session> session, boolean busy, Theme theme, int width) {
        session.ifPresent(s -> refresh(s, busy));
        String shown = text;
        if (shown.isEmpty()) return List.of();
        return List.of(theme.paint(Role.MUTED, shown.codePointCount(0, shown.length()) > width ? shown.substring(0, shown.offsetByCodePoints(0, width)) : shown));
    }

    private void refresh(Session s, boolean busy) {
        Object key = List.of(s.id(), s.updatedAt(), s.cost(), s.usage(), s.model(), s.agent(), busy);
        if (unsupported || running || key.equals(fetchedFor)) return;
        fetchedFor = key;
        running = true;
        long wait = Math.max(0, lastStart + MIN_GAP_MS - System.currentTimeMillis());
        Thread.ofVirtual().name("lathe-status-line").start(() -> {
            try {
                Thread.sleep(wait);
                lastStart = System.currentTimeMillis();
                text = clean(api.get().statusLine(s.id()).text());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the server has no status line route, or is gone: the footer and notices say what matters
                unsupported = e instanceof LatheException.NotFound;
            } finally {
                running = false;
                later.accept(() -> {});
            }
        });
    }

    /** {@code line} with its escape sequences dropped and any other control made visible. */
    static String clean(String line) {
        return VisibleControls.line(ESCAPES.matcher(line).replaceAll("")).strip();
    }
}
