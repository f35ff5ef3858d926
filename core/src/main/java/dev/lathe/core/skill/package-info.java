/**
 * Skills (DESIGN §11): {@code SKILL.md} folders of the project, of the user and of Claude Code / OpenCode projects,
 * found and read; their list for system block B. Imports core.markdown, and core.permission for the check a file passes first; the {@code skill} tool reaches them
 * through the tools' {@code Skills} port, implemented in core.session.
 */
package dev.lathe.core.skill;
