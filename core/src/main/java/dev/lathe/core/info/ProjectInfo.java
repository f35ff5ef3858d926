package dev.lathe.core.info;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.project.Projects;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.ApiException;
import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.ProviderInfo;
import dev.lathe.protocol.api.TextMatch;
import java.util.List;

/** The project and user routes of the API (DESIGN §6) in process. */
public final class ProjectInfo {
    private final Projects projects;
    private final ProviderSources sources;
    private final AuthStore auth;
    private final LathePaths paths;

    public ProjectInfo(Projects projects, ProviderSources sources, AuthStore auth, LathePaths paths) {
        this.projects = projects;
        this.sources = sources;
        this.auth = auth;
        this.paths = paths;
    }

    public List<AgentInfo> agents(String directory) { throw todo(); }
    public List<CommandInfo> commands(String directory) { throw todo(); }
    public List<ModelInfo> models(String directory) { throw todo(); }
    public List<ProviderInfo> providers(String directory) { throw todo(); }
    public RawJson config(String directory) { throw todo(); }
    public RawJson updateConfig(String directory, RawJson patch) { throw todo(); }
    public List<FileEntry> files(String directory, String path) { throw todo(); }
    public FileContent fileContent(String directory, String path) { throw todo(); }
    public List<String> findFiles(String directory, String query, int limit) { throw todo(); }
    public List<TextMatch> findText(String directory, String pattern, int limit) { throw todo(); }
    public void setAuth(String provider, AuthRequest request) { throw todo(); }
    public void removeAuth(String provider) { throw todo(); }

    private static ApiException todo() { return new ApiException(501, "not_implemented", "not implemented yet"); }
}
