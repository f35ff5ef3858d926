package dev.lathe.core.toolcall;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Masks the secrets the server knows (provider keys, credential variables, MCP server secrets: {@code Secrets}) in text
 * that leaves a tool call, a model's answer, a title or the audit log (DESIGN §26): each occurrence becomes {@code ***}.
 * The one masker: applied where a call's result or error is made ({@link ToolCallPipeline}), where its live output is
 * published ({@code ToolCallRunner}), to the model's streamed text ({@link SecretStream}), to titles and to audit
 * entries before they are chained, so what is stored, sent to the model, shown to clients, exported and audited never
 * holds one.
 *
 * <p>A secret is found in every shape {@link SecretForms} lists (reversed, percent-encoded, hex, base64 at each
 * alignment), whatever the case of its letters, and across line breaks, spaces and tabs. Text whose end is not known yet ({@link #live}, {@link SecretStream})
 * never shows the start of a secret: what could still become one is held back until it is decided (issue 79: the
 * first characters of a key reached clients before the whole key had arrived to be masked; decision 553).
 */
public final class SecretMask {
    /** Shorter values would mask ordinary words by accident; real credentials are long. */
    public static final int MIN_LENGTH = 8;
    static final String MASK = "***";
    /** The shortest start of a secret masked where a text was cut short: fewer characters tell nothing of it. */
    static final int CUT_SHOWN = 4;

    private static final SecretMask NONE = new SecretMask(new SecretForms(List.of()));

    private final SecretForms forms;

    private SecretMask(SecretForms forms) {
        this.forms = forms;
    }

    /** The masker of {@code secrets} (those shorter than {@link #MIN_LENGTH} are ignored). */
    public static SecretMask of(Collection<String> secrets) {
        if (secrets.isEmpty()) return NONE;
        SecretForms forms = SecretForms.of(secrets);
        return forms.isEmpty() ? NONE : new SecretMask(forms);
    }

    /** {@code text} with every secret of {@code secrets} (at least {@link #MIN_LENGTH} characters) replaced by {@code ***}. */
    public static String apply(String text, Set<String> secrets) {
        if (text == null || text.isEmpty() || secrets.isEmpty()) return text;
        return of(secrets).apply(text);
    }

    public boolean isEmpty() { return forms.isEmpty(); }

    /** {@code text}, whole, with every secret in any of its forms replaced by {@code ***}. */
    public String apply(String text) {
        if (text == null || text.isEmpty() || forms.isEmpty()) return text;
        FoldedText folded = FoldedText.of(text);
        List<int[]> found = matches(folded);
        if (found.isEmpty()) return text;
        return render(text, folded, found, 0, text.length());
    }

    /**
     * A window of a text still being written (a command's latest output): masked, without a start of a secret at its
     * end (the rest of it has not come yet) and without an end of one at its start (the window may begin inside one),
     * each of at least {@value #CUT_SHOWN} characters.
     */
    public String live(String text) {
        if (text == null || text.isEmpty() || forms.isEmpty()) return text;
        FoldedText folded = FoldedText.of(text);
        List<int[]> found = matches(folded);
        int lastEnd = found.isEmpty() ? 0 : found.getLast()[1];
        int head = found.isEmpty() || found.getFirst()[0] > 0 ? undecidedHead(folded, CUT_SHOWN) : 0;
        int tail = undecidedTail(folded, Math.max(lastEnd, head), CUT_SHOWN);
        return render(text, folded, found, folded.end(head), folded.start(tail));
    }

    /**
     * A text cut short after its end (a title made of a prompt's first 57 characters): masked, and a start of a secret
     * it ends with (at least {@value #CUT_SHOWN} characters) masked too, where whole-secret masking cannot see it.
     */
    public String cutAtEnd(String text) {
        if (text == null || text.isEmpty() || forms.isEmpty()) return text;
        FoldedText folded = FoldedText.of(text);
        List<int[]> found = matches(folded);
        int lastEnd = found.isEmpty() ? 0 : found.getLast()[1];
        int tail = undecidedTail(folded, lastEnd, CUT_SHOWN);
        String kept = render(text, folded, found, 0, folded.start(tail));
        return tail < folded.length() ? kept + MASK : kept;
    }

    /** A masker for text that arrives in pieces: each piece is released once no secret can still begin in it. */
    public SecretStream stream() {
        return new SecretStream(this);
    }

    /**
     * Masks {@code pending} and splits it into what may be released now and what must wait for the next piece.
     * {@code released} is what was released before it (its end, as it was before masking): a secret that began there
     * is still found, and its rest masked.
     */
    String[] release(String released, String pending) {
        if (pending.isEmpty() || forms.isEmpty()) return new String[] {pending, ""};
        String text = released + pending;
        FoldedText folded = FoldedText.of(text);
        List<int[]> found = matches(folded);
        int lastEnd = found.isEmpty() ? 0 : found.getLast()[1];
        int tail = undecidedTail(folded, lastEnd, CUT_SHOWN);
        int cut = Math.max(folded.start(tail), released.length());
        return new String[] {render(text, folded, found, released.length(), cut), text.substring(cut)};
    }

    /** {@code pending}, the end of a text, masked: a secret that began in {@code released} is found too. */
    String rest(String released, String pending) {
        if (pending.isEmpty() || forms.isEmpty()) return pending;
        String text = released + pending;
        FoldedText folded = FoldedText.of(text);
        return render(text, folded, matches(folded), released.length(), text.length());
    }

    /** How much of a released text's end {@link SecretStream} keeps to find a secret that began there. */
    int context() { return forms.longest(); }

    /** Every occurrence of every form, as ranges of the folded text, sorted and merged. */
    private List<int[]> matches(FoldedText folded) {
        String text = folded.text();
        List<int[]> found = new ArrayList<>();
        for (String form : forms.forms()) {
            for (int at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) found.add(new int[] {at, at + form.length()});
        }
        if (found.size() < 2) return found;
        found.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        int[] current = found.getFirst();
        for (int[] next : found.subList(1, found.size())) {
            // overlapping only: shapes on neighbouring lines stay apart, with the line break between them
            if (next[0] < current[1]) current = new int[] {current[0], Math.max(current[1], next[1])};
            else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return merged;
    }

    /**
     * Where the longest end of the folded text (starting at {@code from} or later, at least {@code min} characters)
     * that is the start of a form begins; the text's length when there is none.
     */
    private int undecidedTail(FoldedText folded, int from, int min) {
        String text = folded.text();
        int n = text.length();
        int best = n;
        for (String form : forms.forms()) {
            char first = form.charAt(0);
            for (int p = Math.max(from, n - form.length() + 1); p <= n - min && p < best; p++) {
                if (text.charAt(p) == first && text.regionMatches(p, form, 0, n - p)) {
                    best = p;
                    break;
                }
            }
        }
        return best;
    }

    /** How long the longest start of the folded text (at least {@code min} characters) that is the end of a form is. */
    private int undecidedHead(FoldedText folded, int min) {
        String text = folded.text();
        int best = 0;
        for (String form : forms.forms()) {
            for (int k = Math.min(form.length() - 1, text.length()); k >= min && k > best; k--) {
                if (text.regionMatches(0, form, form.length() - k, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }

    /** {@code text} from {@code from} to {@code to} (original positions) with the folded ranges {@code found} masked. */
    private static String render(String text, FoldedText folded, List<int[]> found, int from, int to) {
        if (from >= to) return "";
        var out = new StringBuilder(to - from);
        int at = from;
        for (int[] range : found) {
            int start = Math.max(folded.start(range[0]), from);
            int end = Math.min(folded.end(range[1]), to);
            if (end <= at) continue;
            if (start >= to) break;
            if (start > at) out.append(text, at, start);
            out.append(MASK);
            at = end;
        }
        if (at < to) out.append(text, at, to);
        return out.toString();
    }
}
