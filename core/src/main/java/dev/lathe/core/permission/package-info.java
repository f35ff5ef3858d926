/**
 * The permission engine (DESIGN §10, §18): rules per permission key with glob patterns, the most specific matching
 * pattern wins and ties go to the stricter action ({@link dev.lathe.core.permission.Ruleset}), each rule knowing the layer
 * and file it was written in ({@link dev.lathe.core.permission.RuleOrigin}) so a decision can say so; bash lines decided by
 * what they run ({@link dev.lathe.core.permission.PermissionDecider}); the one decision a turn's gate and
 * {@code lathe debug permission} both make ({@link dev.lathe.core.permission.GateDecision}); asks that block the
 * calling tool until a client replies ({@link dev.lathe.core.permission.PermissionBroker}); the files git tracks, asked
 * of git itself when a git command prints them unnamed ({@code TrackedFiles}). The {@code Permissions}
 * port a tool calls is not here but in {@code core.ask} ({@code PermissionGate}), which uses this package. Imports
 * protocol, {@code core.reply} (the wait for an answer) and its own {@code bash} analysis.
 */
package dev.lathe.core.permission;
