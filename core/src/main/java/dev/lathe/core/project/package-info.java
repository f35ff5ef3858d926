/**
 * Per-project state, created lazily on first use and closed when idle (DESIGN §3):
 * {@link dev.lathe.core.project.Project} holds the folder and its repository root, the merged configuration, the
 * permission rules, the model resolver, the instructions of system block B ({@link dev.lathe.core.project.Instructions}),
 * the snapshots and the agents; {@link dev.lathe.core.project.Projects} keeps one per folder and client environment,
 * re-reads its configuration when {@link dev.lathe.core.project.ConfigStamps} tell a config file changed, and finds its
 * command and skill files. Imports protocol, llm (the protocols a resolver uses) and the core packages agent, commandfile, config,
 * model, permission, skill, snapshot and store.
 */
package dev.lathe.core.project;
