/**
 * The permission engine (DESIGN §10, §18): rules per permission key with glob patterns, the most specific matching
 * pattern wins and ties go to the stricter action ({@link dev.lathe.core.permission.Ruleset}); bash lines decided by
 * what they run ({@link dev.lathe.core.permission.PermissionDecider}); the one decision a turn's gate and
 * {@code lathe debug permission} both make ({@link dev.lathe.core.permission.GateDecision}); asks that block the
 * calling tool until a client replies ({@link dev.lathe.core.permission.PermissionBroker}). Imports protocol,
 * {@code core.ask} and its own {@code bash} analysis; the {@code Permissions} port itself is implemented in the session
 * layer.
 */
package dev.lathe.core.permission;
