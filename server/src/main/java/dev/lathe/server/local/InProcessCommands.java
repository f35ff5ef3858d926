package dev.lathe.server.local;

import dev.lathe.core.config.ReachSchema;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.OpenCodeFile;
import dev.lathe.core.info.ModelRows;
import dev.lathe.core.info.TrustReview;
import dev.lathe.core.model.LocalServerModels;
import dev.lathe.core.offline.ConfiguredRules;
import dev.lathe.core.offline.DownloadNetwork;
import dev.lathe.core.offline.HookEntries;
import dev.lathe.core.offline.McpEntries;
import dev.lathe.core.offline.McpSignIn;

import dev.lathe.core.audit.AuditFiles;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.config.ManagedFiles;
import dev.lathe.server.daemon.EnforcedPolicy;
import dev.lathe.server.daemon.ServerInfo;
import dev.lathe.core.offline.Checkup;
import dev.lathe.core.offline.KeyStore;
import dev.lathe.core.offline.KnownModelList;
import dev.lathe.core.offline.OfflineFailure;
import dev.lathe.core.offline.PermissionProbe;
import dev.lathe.core.offline.PlanSignInCommand;
import dev.lathe.core.offline.RecordedStreams;
import dev.lathe.core.claudeplugin.PluginInstalls;
import dev.lathe.core.claudeplugin.PluginParts;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.postgresql.PostgresProbe;
import dev.lathe.core.telemetry.TelemetrySwitch;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.TrustInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** {@link LocalCommands} on the core's offline functions ({@code core.offline}). */
final class InProcessCommands implements LocalCommands {
    private final Map<String, String> env;

    InProcessCommands(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public List<ModelInfo> models(Path directory, Optional<String> provider) {
        try {
            return KnownModelList.of(env, directory, provider).stream().map(ModelRows::of).toList();
        } catch (OfflineFailure e) {
            throw new Failure(e.getMessage());
        } catch (LocalServerModels.Unreachable e) {
            throw new Unreachable(e.getMessage());
        }
    }

    @Override
    public Keys keys() {
        KeyStore store = KeyStore.of(env);
        return new Keys() {
            @Override public Path file() { return store.file(); }

            @Override public boolean inCatalog(String provider) { return store.inCatalog(provider); }

            @Override public void save(String provider, String key) { store.save(provider, key); }

            @Override public Optional<Removed> remove(String provider) {
                return store.remove(provider).map(r -> new Removed(r.what(), r.signIn()));
            }

            @Override public List<KeySource> sources() {
                return store.sources().stream().map(s -> new KeySource(s.provider(), s.where())).toList();
            }

            @Override public Optional<String> plan(String provider) { return PlanSignInCommand.plan(provider); }

            @Override public void signIn(Path directory, String provider, boolean device, java.io.PrintStream prompts) {
                try {
                    PlanSignInCommand.signIn(env, directory, provider, device, prompts);
                } catch (OfflineFailure e) {
                    throw new Failure(e.getMessage());
                }
            }
        };
    }

    @Override
    public String configSchema() {
        return ReachSchema.json();
    }

    @Override
    public List<String> decoderProtocols() {
        return RecordedStreams.protocols();
    }

    @Override
    public Optional<List<String>> decode(String protocol, String text, DecodeForm form) {
        return RecordedStreams.decode(protocol, text, switch (form) {
            case EVENTS -> RecordedStreams.Form.EVENTS;
            case MERGED -> RecordedStreams.Form.MERGED;
        });
    }

    @Override
    public PermissionLines permissions(Path project, String agent, Consumer<String> warnings) {
        try {
            return new PermissionRequestLines(PermissionProbe.open(env, project, agent, warnings));
        } catch (OfflineFailure e) {
            throw new Failure(e.getMessage());
        }
    }

    @Override
    public List<ConfiguredRule> configuredRules(Path project, Consumer<String> warnings) {
        try {
            return ConfiguredRules.of(env, project, warnings).stream().map(r -> new ConfiguredRule(r.agent(), r.permission(),
                    r.pattern(), r.action(), r.source(), r.state().name().toLowerCase(java.util.Locale.ROOT))).toList();
        } catch (OfflineFailure e) {
            throw new Failure(e.getMessage());
        }
    }

    @Override
    public Database database() {
        return new InProcessDatabase(LathePaths.fromEnvironment(env));
    }

    @Override
    public TrustList trust() {
        TrustedFolders folders = TrustedFolders.in(LathePaths.fromEnvironment(env).data());
        var loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, ManagedFiles.policyFile(env), folders);
        return new TrustList() {
            @Override public Path trust(Path folder) {
                try {
                    return TrustReview.approve(loader, folder);
                } catch (ConfigException e) {
                    throw new Failure("cannot trust " + folder + " before its configuration is fixed: " + e.getMessage());
                }
            }

            @Override public Path trust(Path folder, java.util.Set<String> shown) {
                try {
                    return TrustReview.approveShown(loader, folder, shown);
                } catch (ConfigException e) {
                    throw new Failure("cannot trust " + folder + " before its configuration is fixed: " + e.getMessage());
                }
            }

            @Override public List<TrustInfo.Item> review(Path folder) {
                try {
                    return TrustReview.of(loader, folder).stream().map(l -> new TrustInfo.Item(
                            l.item().kind().id(), l.item().source(), l.item().name(), l.item().text(), l.status().word(), l.item().line(),
                            l.item().hash())).toList();
                } catch (ConfigException e) {
                    throw new Failure(e.getMessage());
                }
            }

            @Override public boolean trusted(Path folder) { return folders.of(folder).trusted(); }

            @Override public Revoked revoke(Path folder) {
                TrustedFolders.Revoked r = TrustReview.revoke(loader, folder);
                return new Revoked(r.folder(), r.listed(), r.stillTrustedBy());
            }

            @Override public List<Path> list() { return folders.list(); }
        };
    }

    @Override
    public Plugins plugins() {
        var installs = new PluginInstalls(LathePaths.fromEnvironment(env).claudePlugins(), env);
        return new Plugins() {
            @Override public PluginRow add(String source) {
                try {
                    var p = installs.add(source);
                    return installs.list().stream().filter(i -> i.folder().equals(p.name())).findFirst().map(InProcessCommands::row)
                            .orElseThrow(() -> new Failure("installed " + p.name() + " but cannot read it back"));
                } catch (PluginInstalls.Failure e) {
                    throw new Failure(e.getMessage());
                }
            }

            @Override public List<PluginRow> list() {
                try {
                    return installs.list().stream().map(InProcessCommands::row).toList();
                } catch (PluginInstalls.Failure e) {
                    throw new Failure(e.getMessage());
                }
            }

            @Override public boolean remove(String name) {
                return failing(() -> installs.remove(name));
            }

            @Override public PluginRow install(String nameAtMarketplace) {
                return failing(() -> {
                    var p = installs.install(nameAtMarketplace);
                    return installs.list().stream().filter(i -> i.folder().equals(p.name())).findFirst().map(InProcessCommands::row)
                            .orElseThrow(() -> new Failure("installed " + p.name() + " but cannot read it back"));
                });
            }

            @Override public List<String> update(String name) {
                return failing(() -> PluginUpdateLines.of(installs.update(name)));
            }

            @Override public MarketplaceRow addMarketplace(String source, Optional<String> ref) {
                return failing(() -> PluginUpdateLines.row(installs.marketplaces().add(source, ref)));
            }

            @Override public List<MarketplaceRow> marketplaces() {
                return failing(() -> installs.marketplaces().list().stream().map(PluginUpdateLines::row).toList());
            }

            @Override public boolean removeMarketplace(String name) {
                return failing(() -> installs.marketplaces().remove(name));
            }

            @Override public List<String> updateMarketplace(String name) {
                return failing(() -> PluginUpdateLines.of(installs.marketplaces().update(name)));
            }
        };
    }

    /** Runs a plugin operation, its failure in the user's words. */
    private static <T> T failing(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (PluginInstalls.Failure e) {
            throw new Failure(e.getMessage());
        }
    }

    private static PluginRow row(PluginInstalls.Installed i) {
        String origin = i.origin().orElse("-");
        if (i.plugin().isEmpty()) return new PluginRow(i.folder(), "-", "-", "-", origin, i.path(), i.problem());
        var p = i.plugin().get();
        var m = p.manifest();
        return new PluginRow(m.name(), m.version().orElse("-"), m.description().orElse("-").replaceAll("\\s+", " "),
                PluginParts.of(p).summary(), origin, i.path(), i.problem());
    }

    @Override
    public McpServers mcp() {
        return new McpServers() {
            @Override public List<McpServerRow> list(Path directory) {
                return guarded(() -> McpEntries.list(env, directory).rows().stream()
                        .map(r -> new McpServerRow(r.name(), r.type(), r.target(), r.enabled())).toList());
            }

            @Override public List<String> withheld(Path directory) {
                return guarded(() -> McpEntries.list(env, directory).withheld());
            }

            @Override public List<McpUntrusted> untrusted(Path directory) {
                return guarded(() -> McpEntries.list(env, directory).untrusted().stream()
                        .map(u -> new McpUntrusted(u.name(), u.source(), u.target(), u.changedSinceTrust())).toList());
            }

            @Override public Path add(Path directory, McpScope scope, String name, String entryJson) {
                return guarded(() -> McpEntries.add(env, directory, scope(scope), name, entryJson));
            }

            @Override public boolean remove(Path directory, McpScope scope, String name) {
                return guarded(() -> McpEntries.remove(env, directory, scope(scope), name));
            }

            @Override public void signIn(Path directory, String name, java.io.PrintStream prompts) {
                guarded(() -> {
                    McpSignIn.signIn(env, directory, name, prompts);
                    return null;
                });
            }

            @Override public void signOut(Path directory, String name) {
                guarded(() -> {
                    McpSignIn.signOut(env, directory, name);
                    return null;
                });
            }
        };
    }

    private static McpEntries.Scope scope(McpScope scope) {
        return switch (scope) {
            case GLOBAL -> McpEntries.Scope.GLOBAL;
            case PROJECT -> McpEntries.Scope.PROJECT;
        };
    }

    @Override
    public HookListing hooks(Path directory) {
        return guarded(() -> HookEntries.list(env, directory));
    }

    private static <T> T guarded(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (OfflineFailure e) {
            throw new Failure(e.getMessage());
        }
    }

    @Override
    public List<String> openCodeSkipped(Path directory) {
        Path project = ProjectRoot.normalise(directory.toAbsolutePath().toString());
        return OpenCodeFile.skippedIn(ProjectRoot.repoRoot(project));
    }

    @Override
    public Optional<StoreReport> store() {
        try {
            return StoreCheck.url(env).map(url -> {
                var p = PostgresProbe.of(url);
                return new StoreReport(p.url().describe(), p.url().host(), p.url().port(), p.url().database(), p.url().user(), p.schemaVersion(),
                        p.bundledVersion(), p.sessions(), p.integrity().problems(), p.integrity().notes());
            });
        } catch (StoreException e) {
            throw new Failure(e.getMessage());
        }
    }

    @Override
    public Optional<String> downloadRefusal(Path directory, java.net.URI site) {
        return DownloadNetwork.refusal(env, directory, site);
    }

    @Override
    public List<Check> doctor(Path directory) {
        List<Check> out = new java.util.ArrayList<>();
        // the managed policy the running server enforces, not the one this shell would read (decision 552): work goes there
        Optional<ServerInfo> server = ServerFileCheck.running(env);
        Path managed = EnforcedPolicy.of(env, server.map(ServerInfo::managed));
        for (Checkup.Check c : Checkup.of(env, directory, managed)) {
            String detail = c.name().equals("managed") && server.filter(s -> !s.managed().isBlank()).isPresent()
                    ? c.detail() + " (enforced by the running server, pid " + server.get().pid() + ")" : c.detail();
            out.add(new Check(c.name(), switch (c.status()) {
                case OK -> CheckStatus.OK;
                case WARN -> CheckStatus.WARN;
                case FAIL -> CheckStatus.FAIL;
            }, detail, c.fix()));
        }
        server.flatMap(s -> EnforcedPolicy.mismatch(env, s.managed(), s.pid()))
                .ifPresent(m -> out.add(new Check("managed", CheckStatus.WARN, m, Optional.of(EnforcedPolicy.fix(env)))));
        out.add(ServerFileCheck.of(env));
        out.add(DatabaseFileCheck.of(env));
        out.addAll(StoreCheck.of(env));
        return out;
    }

    @Override
    public Optional<String> configJson(Path directory) {
        Path managed = EnforcedPolicy.of(env, ServerFileCheck.running(env).map(ServerInfo::managed));
        var loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, managed, TrustedFolders.in(LathePaths.fromEnvironment(env).data()));
        try {
            return Optional.of(loader.maskedJson(ProjectRoot.repoRoot(directory)));
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> telemetryNotice() { return TelemetrySwitch.notice(env); }

    @Override
    public AuditLog audit(Path project) {
        return new InProcessAuditLog(new AuditFiles(LathePaths.fromEnvironment(env).audit()), project);
    }
}
