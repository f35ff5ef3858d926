/**
 * What clients ask about a project folder and the user rather than a session: agents, commands, skills, models,
 * providers, the merged configuration, project files and search, stored keys. May import core's config, model, auth,
 * project, command and skill, and tools' search; never the session package.
 */
package dev.lathe.core.info;
