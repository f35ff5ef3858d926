package dev.lathe.tui.view;

import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.Fuzzy;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * A list to choose from, narrowed by typing (fuzzy): sessions, models, agents, and the completions of {@code @}
 * and {@code /}. Shows a window of rows around the selection.
 */
public final class Picker<T> {
    /** One row: what is chosen, its label, and a dimmed detail. */
    public record Item<T>(T value, String label, String detail) {}

    private final String title;
    private final String keysHint;
    private final List<Item<T>> all;
    private final boolean filterable;
    private List<Item<T>> shown;
    private final StringBuilder filter = new StringBuilder();
    private int selected;
    private final int rows;

    public Picker(String title, String keysHint, List<Item<T>> items, int rows, boolean filterable) {
        this.title = title;
        this.keysHint = keysHint;
        this.all = List.copyOf(items);
        this.shown = this.all;
        this.rows = rows;
        this.filterable = filterable;
    }

    /** How a filter narrows and orders the rows; fuzzy over label and detail unless a picker says otherwise. */
    private java.util.function.BiFunction<String, List<Item<T>>, List<Item<T>>> ranker =
            (query, items) -> Fuzzy.rank(query, items, i -> i.label() + " " + i.detail());

    /** Orders the rows for a filter its own way (the model picker: exact ids first, then its menu order). */
    public Picker<T> rankedBy(java.util.function.BiFunction<String, List<Item<T>>, List<Item<T>>> ranker) {
        this.ranker = ranker;
        return this;
    }

    public static <T> Picker<T> of(String title, String keysHint, List<T> values, Function<T, String> label, Function<T, String> detail) {
        return new Picker<>(title, keysHint, values.stream().map(v -> new Item<>(v, label.apply(v), detail.apply(v))).toList(), 10, true);
    }

    public void select(int index) { selected = Math.clamp(index, 0, Math.max(0, shown.size() - 1)); }

    /** Puts the selection on the first item matching {@code test} (the current model, the current session). */
    public void selectWhere(java.util.function.Predicate<T> test) {
        for (int i = 0; i < shown.size(); i++) {
            if (test.test(shown.get(i).value())) {
                selected = i;
                return;
            }
        }
    }

    public void up() { if (!shown.isEmpty()) selected = (selected - 1 + shown.size()) % shown.size(); }

    public void down() { if (!shown.isEmpty()) selected = (selected + 1) % shown.size(); }

    public void pageUp() { select(selected - rows); }

    public void pageDown() { select(selected + rows); }

    public void type(String text) {
        if (!filterable) return;
        filter.append(text);
        refilter();
    }

    public void backspace() {
        if (filter.isEmpty()) return;
        filter.setLength(filter.length() - 1);
        refilter();
    }

    /** Deletes the filter's last word (and the spaces after it), as Ctrl-W does in the editor. */
    public void deleteWordBackward() {
        int end = filter.length();
        while (end > 0 && filter.charAt(end - 1) == ' ') end--;
        while (end > 0 && filter.charAt(end - 1) != ' ') end--;
        if (end == filter.length()) return;
        filter.setLength(end);
        refilter();
    }

    /** Empties the filter, as Ctrl-U and the clear-input key do in the editor: every row shows again. */
    public void clearFilter() {
        if (filter.isEmpty()) return;
        filter.setLength(0);
        refilter();
    }

    /**
     * Applies an editing or moving key's {@code action} (the user's own bindings) to the list and its filter.
     *
     * @return false for an action the picker leaves to its owner (choose, close, or nothing)
     */
    public boolean edit(Action action) {
        switch (action) {
            case MOVE_UP, HISTORY_PREVIOUS -> up();
            case MOVE_DOWN, HISTORY_NEXT -> down();
            case PAGE_UP -> pageUp();
            case PAGE_DOWN -> pageDown();
            case DELETE_BACKWARD -> backspace();
            case DELETE_WORD_BACKWARD -> deleteWordBackward();
            case KILL_TO_START, CLEAR_INPUT -> clearFilter();
            default -> {
                return false;
            }
        }
        return true;
    }

    public String filter() { return filter.toString(); }

    private void refilter() {
        shown = filter.isEmpty() ? all : ranker.apply(filter.toString(), all);
        selected = 0;
    }

    /** The rows the filter keeps, in their order. */
    public List<Item<T>> shown() { return shown; }

    public Optional<T> chosen() { return shown.isEmpty() ? Optional.empty() : Optional.of(shown.get(selected).value()); }

    public boolean isEmpty() { return shown.isEmpty(); }

    public List<AttributedString> render(Theme theme, int width) {
        var out = new ArrayList<AttributedString>();
        if (!title.isEmpty()) {
            var head = new AttributedStringBuilder().styled(theme.style(Role.HEADING), title);
            if (filterable) head.append("  ").styled(theme.style(Role.MUTED), filter.isEmpty() ? "type to filter" : "filter: ").append(filter.toString());
            out.add(Wrap.truncate(head.toAttributedString(), width));
        }
        if (shown.isEmpty()) out.add(theme.paint(Role.MUTED, "  (nothing matches)"));
        int first = Math.max(0, Math.min(selected - rows / 2, shown.size() - rows));
        int last = Math.min(shown.size(), first + rows);
        int labelWidth = 0;
        for (int i = first; i < last; i++) labelWidth = Math.max(labelWidth, shown.get(i).label().length());
        labelWidth = Math.min(labelWidth, Math.max(10, width / 2));
        for (int i = first; i < last; i++) {
            Item<T> item = shown.get(i);
            boolean sel = i == selected;
            var line = new AttributedStringBuilder();
            line.styled(theme.style(sel ? Role.ACCENT : Role.MUTED), sel ? "› " : "  ");
            AttributedString label = Wrap.pad(new AttributedString(item.label()), labelWidth);
            line.styled(sel ? theme.style(Role.SELECTED) : theme.style(Role.TEXT), label);
            if (!item.detail().isEmpty()) line.append("  ").styled(theme.style(Role.MUTED), item.detail());
            out.add(Wrap.truncate(line.toAttributedString(), width));
        }
        if (shown.size() > rows) out.add(theme.paint(Role.MUTED, "  " + (selected + 1) + "/" + shown.size()));
        if (!keysHint.isEmpty()) out.add(Wrap.truncate(theme.paint(Role.MUTED, keysHint), width));
        return out;
    }
}
