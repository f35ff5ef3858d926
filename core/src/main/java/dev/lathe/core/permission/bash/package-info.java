/**
 * Static analysis of bash command lines for permission checks (DESIGN §10): tree-sitter-bash parse
 * ({@link dev.lathe.core.permission.bash.BashAnalyzer}), simple commands through every construct and wrapper, file
 * operands and redirections resolved against the tracked folder, {@code ~} and symlinks (real paths), listings and
 * recursive searches, and the <em>concerns</em> that ask whatever the rules say: environment variables not known to
 * be harmless ({@code EnvironmentPrefixes}), program forms that run code or write files ({@code Hazards},
 * {@code ProgramText}) and control characters. git in particular: its global options in one grammar
 * ({@code GitGlobals}, so a rule for {@code git push} also meets {@code git -c k=v push}), what its content commands
 * print ({@code GitContent}: named paths, or every tracked file of the repository) and which files its write commands
 * change ({@code GitWrites}). Used by
 * {@link dev.lathe.core.permission.PermissionDecider}. Imports nothing internal; tree-sitter only.
 */
package dev.lathe.core.permission.bash;
