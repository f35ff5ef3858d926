/**
 * What clients ask about a project folder and the user rather than a session ({@link dev.lathe.core.info.ProjectInfo}):
 * agents, commands, skills, models, providers, the merged configuration, project files and search, stored keys. Imports
 * protocol, the core packages agent, auth, commandfile, config, model and project, llm (cancellation of a search),
 * and tools (the built-ins' {@code ProjectSearch}, so a file picker sees the files the model's tools see); never the
 * session package.
 */
package dev.lathe.core.info;
