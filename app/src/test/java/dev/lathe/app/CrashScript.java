package dev.lathe.app;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fake model answers in the crash loop. Several sessions share one {@link FakeLlm} and ask in an order
 * nobody controls, so each prompt carries a nonce ({@code nonce:q12x3y0}) and the answer is looked up from the
 * request itself: the last nonce in the conversation names the prompt being answered, and the tool-call ids already in
 * it ({@code <nonce>s<step>c<n>}) say which step of that prompt's script comes next. Works the same for every wire
 * protocol, since only ids and the prompt text are read.
 */
final class CrashScript implements FakeLlm.Responder {
    /** The kinds of work a prompt asks for; each leaves the session in a different place when the kill comes. */
    enum Kind { STREAM, READ, WRITE_EDIT, BASH_SLEEP, BASH_ASK, PARALLEL, MULTI, PING }

    /** Kinds a random session picks from (pings only answer the check after a restart). */
    static final List<Kind> WORK = List.of(Kind.STREAM, Kind.READ, Kind.WRITE_EDIT, Kind.BASH_SLEEP, Kind.BASH_ASK, Kind.PARALLEL, Kind.MULTI);

    /** Rules for the loop's sessions: edits allowed, {@code sleep}/{@code echo} allowed, any other command asks. */
    static final String PERMISSION = "{\"edit\": \"allow\", \"bash\": {\"*\": \"ask\", \"sleep *\": \"allow\", \"echo *\": \"allow\"}}";

    private static final Pattern NONCE = Pattern.compile("nonce:([a-z0-9]+)");
    private static final List<String> WORDS = List.of("the", "lathe", "turns", "a", "session", "into", "parts", "and", "every",
            "part", "is", "written", "before", "it", "is", "announced", "so", "a", "crash", "loses", "nothing", "that", "was", "shown");

    private final Map<String, List<Turn>> scripts = new ConcurrentHashMap<>();

    /** Registers the script for {@code nonce} and returns the prompt text that asks for it. */
    String prompt(String nonce, Kind kind, Random random, Duration toolSleep) {
        scripts.put(nonce, turns(nonce, kind, random, toolSleep));
        return "nonce:" + nonce + " please do " + kind.name().toLowerCase(java.util.Locale.ROOT) + " work";
    }

    /** Forgets every script (the prompts they answer are all finished or interrupted). */
    void clear() { scripts.clear(); }

    /** The text the ping of {@code nonce} answers with. */
    static String pong(String nonce) { return "pong " + nonce; }

    @Override
    public Turn turnFor(RecordedRequest request) {
        String body = request.body();
        String nonce = "";
        Matcher m = NONCE.matcher(body);
        while (m.find()) nonce = m.group(1);
        if (nonce.isEmpty()) return Turn.of(Step.text("no nonce in this request"));
        int step = 0;
        Matcher calls = Pattern.compile(Pattern.quote(nonce) + "s(\\d+)c").matcher(body);
        while (calls.find()) step = Math.max(step, Integer.parseInt(calls.group(1)) + 1);
        List<Turn> script = scripts.get(nonce);
        if (script == null || step >= script.size()) return Turn.of(Step.text("Nothing more to do for " + nonce + "."));
        return script.get(step);
    }

    private static List<Turn> turns(String n, Kind kind, Random r, Duration toolSleep) {
        Duration d = Duration.ofMillis(5 + r.nextInt(20));
        String sleep = String.format(java.util.Locale.ROOT, "%.2f", toolSleep.toMillis() / 1000.0);
        List<Turn> out = new ArrayList<>();
        switch (kind) {
            case STREAM -> {
                List<Step> steps = new ArrayList<>();
                if (r.nextBoolean()) steps.add(Step.reasoning(text(r, 80 + r.nextInt(200))));
                steps.add(Step.text(text(r, 300 + r.nextInt(600))));
                out.add(Turn.of(steps.toArray(Step[]::new)).delayBetweenEvents(d));
            }
            case READ -> {
                out.add(Turn.of(Step.text("Let me read the notes."), call(n, 0, 0, "read", "{\"path\":\"notes.txt\"}")).delayBetweenEvents(d));
                out.add(Turn.of(Step.text("The notes say to remember the milk. " + text(r, 200 + r.nextInt(400)))).delayBetweenEvents(d));
            }
            case WRITE_EDIT -> {
                out.add(Turn.of(call(n, 0, 0, "write", "{\"path\":\"out-" + n + ".txt\",\"content\":\"one\\ntwo\\n\"}")).delayBetweenEvents(d));
                out.add(Turn.of(Step.text("Now the edit."),
                        call(n, 1, 0, "edit", "{\"path\":\"out-" + n + ".txt\",\"oldString\":\"two\",\"newString\":\"three\"}")).delayBetweenEvents(d));
                out.add(Turn.of(Step.text("Edited. " + text(r, 100 + r.nextInt(300)))).delayBetweenEvents(d));
            }
            case BASH_SLEEP -> {
                out.add(Turn.of(call(n, 0, 0, "bash", "{\"command\":\"sleep " + sleep + " && echo slept-" + n + "\",\"description\":\"wait\"}"))
                        .delayBetweenEvents(d));
                out.add(Turn.of(Step.text("Slept well. " + text(r, 100 + r.nextInt(200)))).delayBetweenEvents(d));
            }
            case BASH_ASK -> {
                out.add(Turn.of(Step.text("I need to list the files."), call(n, 0, 0, "bash", "{\"command\":\"ls -la\",\"description\":\"list\"}"))
                        .delayBetweenEvents(d));
                out.add(Turn.of(Step.text("Listed. " + text(r, 100 + r.nextInt(200)))).delayBetweenEvents(d));
            }
            case PARALLEL -> {
                out.add(Turn.of(call(n, 0, 0, "read", "{\"path\":\"notes.txt\"}"),
                        call(n, 0, 1, "bash", "{\"command\":\"sleep " + sleep + "\",\"description\":\"wait\"}"),
                        call(n, 0, 2, "write", "{\"path\":\"par-" + n + ".txt\",\"content\":\"parallel\\n\"}")).delayBetweenEvents(d));
                out.add(Turn.of(Step.text("All three done. " + text(r, 200 + r.nextInt(400)))).delayBetweenEvents(d));
            }
            case MULTI -> {
                out.add(Turn.of(Step.text(text(r, 100 + r.nextInt(200))), call(n, 0, 0, "bash", "{\"command\":\"echo hi-" + n + "\"}"))
                        .delayBetweenEvents(d));
                out.add(Turn.of(Step.reasoning(text(r, 60)), Step.text(text(r, 80)), call(n, 1, 0, "read", "{\"path\":\"src/app.txt\"}"))
                        .delayBetweenEvents(d));
                out.add(Turn.of(Step.text(text(r, 300 + r.nextInt(300)))).delayBetweenEvents(d));
            }
            case PING -> out.add(Turn.of(Step.text(pong(n))));
        }
        return out;
    }

    private static Step call(String nonce, int step, int index, String tool, String argsJson) {
        return Step.toolCall(nonce + "s" + step + "c" + index, tool, argsJson);
    }

    private static String text(Random r, int chars) {
        var sb = new StringBuilder();
        while (sb.length() < chars) sb.append(WORDS.get(r.nextInt(WORDS.size()))).append(r.nextInt(12) == 0 ? ". " : " ");
        return sb.toString().strip();
    }
}
