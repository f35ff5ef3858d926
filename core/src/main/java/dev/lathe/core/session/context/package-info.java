/**
 * What a turn's requests are built from beyond core.context, per session: the project it runs with ({@code
 * SessionProjects}, {@code RunningTurns} for the hooks), late memory ({@code NestedInstructions}), the skills port,
 * the secrets a session could meet, the prompt cache's choices ({@code CacheChoice}, {@code KeepWarm}) and the
 * conversation an ACP agent did not see.
 */
package dev.lathe.core.session.context;
