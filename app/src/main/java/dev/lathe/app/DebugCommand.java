package dev.lathe.app;

import picocli.CommandLine.Command;

/** {@code lathe debug ...}: tools for users and integrators debugging a provider or a rule. */
@Command(name = "debug", description = "Debugging tools.", mixinStandardHelpOptions = true, subcommands = {DecodeCommand.class, PermissionDebugCommand.class})
final class DebugCommand {
}
