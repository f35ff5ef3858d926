package dev.lathe.tools.builtin;

import dev.lathe.protocol.event.Question;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code question}: asks the user through whichever client is attached and waits for the answer. When nobody can
 * answer (a headless run) the model is told to go on with its own judgement.
 */
final class QuestionTool implements Tool<QuestionTool.Args> {
    record Item(String question, Optional<List<String>> options, Optional<Boolean> multiple) {}

    record Args(List<Item> questions) {}

    private static final String DESCRIPTION = Builtins.description("question");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "questions":{"type":"array","description":"Questions to ask, in order","items":{"type":"object","properties":{\
            "question":{"type":"string","description":"The complete question"},\
            "options":{"type":"array","items":{"type":"string"},"description":"Choices; the user may still type their own"},\
            "multiple":{"type":"boolean","description":"Whether several options may be chosen"}},\
            "required":["question"],"additionalProperties":false}}},\
            "required":["questions"],"additionalProperties":false}""";

    @Override public String name() { return "question"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.TALKS_TO_USER); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        if (args.questions().isEmpty()) throw new ToolFailure("questions must hold at least one question");
        List<Question> questions = args.questions().stream().map(q -> {
            if (q.question() == null || q.question().isBlank()) throw new ToolFailure("every question needs its text");
            return new Question(q.question().strip(), q.options().orElse(List.of()), q.multiple().orElse(false));
        }).toList();
        List<List<String>> answers = ctx.session().questions().ask(questions);
        var out = new StringBuilder("The user answered:\n");
        for (int i = 0; i < questions.size(); i++) {
            List<String> a = i < answers.size() ? answers.get(i) : List.of();
            out.append("\nQ: ").append(questions.get(i).question()).append("\nA: ")
                    .append(a.isEmpty() ? "(no answer)" : String.join(", ", a)).append('\n');
        }
        String title = questions.size() == 1 ? questions.getFirst().question() : "Asked " + questions.size() + " questions";
        return new ToolResult(out.toString().stripTrailing(), title, Map.of());
    }
}
