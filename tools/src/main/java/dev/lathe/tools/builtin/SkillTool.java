package dev.lathe.tools.builtin;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Skills;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Map;
import java.util.Set;

/**
 * {@code skill}: loads one of the project's skills by name (DESIGN §11). The name is checked against the permission
 * rules under the key {@code skill} ({@code "skill": {"deploy-*": "deny"}}); the result is the skill's instructions and
 * its folder, so the model can open the files they mention.
 */
final class SkillTool implements Tool<SkillTool.Args> {
    record Args(String name) {}

    private static final String DESCRIPTION = Builtins.description("skill");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "name":{"type":"string","description":"The skill's name, as listed under Skills in the system prompt"}},\
            "required":["name"],"additionalProperties":false}""";

    @Override public String name() { return "skill"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_FILES, Effect.LOADS_SKILLS); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.VALUE, "name"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        String name = args.name().strip();
        if (name.isEmpty()) throw new ToolFailure("name must not be empty: give the name of a skill listed under Skills");
        Skills.Loaded skill = ctx.session().skills().load(name);
        ctx.guards().permissions().require(PermissionCheck.of("skill", PermissionSource.Pattern.VALUE, skill.name(), "Load skill " + skill.name()));
        String folder = skill.folder().toString();
        String output = "<skill name=\"" + skill.name() + "\">\nFolder: " + folder + " (files these instructions mention are relative to it)\n\n"
                + skill.body() + "\n</skill>";
        return new ToolResult(output, "Loaded skill " + skill.name(), Map.of("name", skill.name(), "folder", folder));
    }
}
