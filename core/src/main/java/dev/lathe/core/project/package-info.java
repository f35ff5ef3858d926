/**
 * Per-project state, created lazily on first use (DESIGN §3): the project's configuration, permission rules,
 * instructions and model resolver. Imports core.config, core.permission, core.model, core.store.
 */
package dev.lathe.core.project;
