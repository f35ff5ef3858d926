package dev.lathe.core.skill;

import dev.lathe.core.markdown.FrontMatter;
import dev.lathe.core.markdown.FrontMatterException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Skills of the open Agent Skills standard's folders ({@code .agents/skills/NAME/SKILL.md} in a project, and
 * {@code ~/.agents/skills}; DESIGN §27, decision 471), read by Codex and others, so held to the standard's front
 * matter: {@code name} required, 1 to 64 lowercase letters, digits and hyphens, not starting or ending with a hyphen,
 * no two hyphens in a row, equal to the folder's name; {@code description} required, at most 1,024 characters. Other
 * keys ({@code license}, {@code compatibility}, {@code metadata}, {@code allowed-tools}) are allowed and not read. An
 * error names the line and the key; {@link SkillFiles} adds the file and leaves the skill out, the others still load.
 */
final class AgentSkills {
    /** A project's Agent Skills folder, relative to the project folder. */
    static final String FOLDER = ".agents/skills";
    private static final int MAX_NAME = 64;
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    private AgentSkills() {}

    /** Whether skills found under {@code root} are held to the standard: it is a project's or the user's {@code .agents/skills}. */
    static boolean isStandardFolder(Path root) {
        return root.endsWith(Path.of(".agents", "skills"));
    }

    /** The skill {@code file} holds. @throws FrontMatterException naming the line and key the standard's rules break */
    static Skill parse(Path file, String content) {
        FrontMatter fm = FrontMatter.parse(content);
        String folder = file.getParent().getFileName().toString();
        FrontMatter.Value nameValue = fm.fields().get("name");
        String name = fm.text("name").map(String::strip).orElse("");
        int nameLine = nameValue == null ? 1 : nameValue.line();
        if (name.isEmpty()) throw new FrontMatterException(nameLine, "name: required by the Agent Skills standard (name: " + folder + ")");
        if (name.length() > MAX_NAME) throw new FrontMatterException(nameLine, "name: longer than " + MAX_NAME + " characters");
        if (!NAME.matcher(name).matches()) {
            throw new FrontMatterException(nameLine, "name: '" + name + "' must be lowercase letters, digits and single hyphens, not starting or ending"
                    + " with a hyphen");
        }
        if (!name.equals(folder)) throw new FrontMatterException(nameLine, "name: '" + name + "' must equal the skill's folder name '" + folder + "'");
        FrontMatter.Value descriptionValue = fm.fields().get("description");
        String description = fm.text("description").map(d -> d.strip().replaceAll("\\s+", " ")).orElse("");
        int descriptionLine = descriptionValue == null ? 1 : descriptionValue.line();
        if (description.isEmpty()) {
            throw new FrontMatterException(descriptionLine, "description: required: it tells the model when to load the skill");
        }
        if (description.length() > SkillFiles.MAX_DESCRIPTION) {
            throw new FrontMatterException(descriptionLine, "description: longer than " + SkillFiles.MAX_DESCRIPTION + " characters");
        }
        return new Skill(name, description, file);
    }
}
