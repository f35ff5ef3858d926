package dev.lathe.client;

import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.ModesInfo;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MemoryListing;
import dev.lathe.protocol.api.SkillInfo;
import java.util.List;

/**
 * The calls that list what a folder defines for its sessions (agents, commands, skills, hooks, memory files), over HTTP
 * through {@link FolderCalls}: the part of {@link HttpLatheClient} that only reads a folder's files.
 */
interface FolderDefinitions extends LatheApi {
    /** The client's calls about a folder. */
    FolderCalls folderCalls();

    @Override
    default List<AgentInfo> agents(String directory) { return folderCalls().agents(directory); }

    @Override
    default ModesInfo modes(String directory) { return folderCalls().modes(directory); }

    @Override
    default List<CommandInfo> commands(String directory) { return folderCalls().commands(directory); }

    @Override
    default List<SkillInfo> skills(String directory) { return folderCalls().skills(directory); }

    @Override
    default HookListing hooks(String directory) { return folderCalls().hooks(directory); }

    @Override
    default MemoryListing memory(String directory) { return folderCalls().memory(directory); }
}
