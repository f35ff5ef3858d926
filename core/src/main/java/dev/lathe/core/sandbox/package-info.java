/**
 * The OS sandbox for the processes tools start (DESIGN §10, §18 "Sandbox"): a
 * {@link dev.lathe.tools.ProcessLauncher} that runs each command under bubblewrap with the root read-only, the project
 * and a private temp folder writable, Lathe's own config and git's hooks and config read-only, the network unshared
 * unless allowed, and every path a {@code read} rule denies hidden. The permission engine decides; this contains what
 * it misjudged. Imports tools (the launcher port), core.config ({@code SandboxConfig}) and core.permission (the
 * rules whose read denials it hides, and the {@code DecisionLog} it tells of every command it refuses).
 */
package dev.lathe.core.sandbox;
