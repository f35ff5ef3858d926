package dev.lathe.server.local;

import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.TrustInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the command-line commands that need no server compute, in this process: read from the user's files (config,
 * agent files, the cached catalog, the key file) at each call, never from a daemon or the store. The wiring {@code app}
 * gets instead of naming the core.
 */
public interface LocalCommands {
    /** The commands over the files {@code env} points at ({@code LATHE_*} and XDG folders). */
    static LocalCommands of(Map<String, String> env) {
        return new InProcessCommands(env);
    }

    /**
     * {@code lathe models}: the catalog's and the configured providers' models for {@code directory}'s config, sorted
     * by {@code provider/model}; only {@code provider}'s when given.
     *
     * For a provider whose server is on this machine (Ollama, LM Studio, llama.cpp), the models that server has are
     * listed too.
     *
     * @throws Failure when the config does not load or the provider is unknown
     * @throws Unreachable when that local server does not answer
     */
    List<ModelInfo> models(Path directory, Optional<String> provider);

    /**
     * {@code lathe config schema}: the JSON Schema of {@code lathe.json}, every key with what it reaches (DESIGN §30).
     */
    String configSchema();

    /** {@code lathe auth}: the saved keys. */
    Keys keys();

    /** {@code lathe debug decode}: the wire protocols a recorded stream can be decoded with, sorted. */
    List<String> decoderProtocols();

    /**
     * {@code lathe debug decode}: JSON lines for a recorded stream (DESIGN §18); empty when {@code protocol} is unknown.
     */
    Optional<List<String>> decode(String protocol, String text, DecodeForm form);

    /**
     * {@code lathe debug permission}: the rules of {@code project} for {@code agent}, answering NDJSON request lines;
     * warnings about skipped agent files go to {@code warnings} first.
     *
     * @throws Failure when the config does not load or the agent is unknown
     */
    PermissionLines permissions(Path project, String agent, Consumer<String> warnings);

    /**
     * {@code lathe permissions}: the permission rules {@code project}'s files configure, each with the file that wrote
     * it, and the allow rules withheld until the folder is trusted; warnings about skipped agent files go to
     * {@code warnings}.
     *
     * @throws Failure when the config does not load
     */
    List<ConfiguredRule> configuredRules(Path project, Consumer<String> warnings);

    /**
     * One configured rule: {@code agent} empty for the top-level {@code permission}; {@code source} the file (or layer)
     * that wrote it; {@code state} {@code applied}, or {@code withheld} while the folder is untrusted.
     */
    record ConfiguredRule(String agent, String permission, String pattern, String action, String source, String state) {}

    /** {@code lathe audit}: the audit log of the project at {@code project} (DESIGN §18), read from the data folder. */
    AuditLog audit(Path project);

    /** {@code lathe db check|backup|restore}: the database in the data folder and the backups beside it. */
    Database database();

    /**
     * The team server's store when one is named ({@code LATHE_STORE} or the global config's {@code "store"}, DESIGN
     * §20): what {@code lathe db} does instead of working on the SQLite file. Empty when none is named.
     *
     * @throws Failure when it is named but cannot be reached (the message names database, host, port and user)
     */
    Optional<StoreReport> store();

    /**
     * A PostgreSQL store as {@code lathe db check} prints it; {@code sessions} is -1 before any node set it up;
     * {@code problems} make it unsafe to run on, {@code notes} are harmless findings.
     */
    record StoreReport(String describe, String host, int port, String database, String user, int schemaVersion, int bundledVersion, long sessions,
            List<String> problems, List<String> notes) {}

    /** The database file, read and copied beside a server that may be running; every method throws {@link Failure}. */
    interface Database {
        Path file();

        /** {@code PRAGMA integrity_check} through a connection that only reads. */
        DatabaseReport check();

        /** A consistent copy at {@code target}, or beside the database; @return where it went */
        Path backup(Optional<Path> target);

        /** The backups beside the database, newest first. */
        List<BackupRow> backups();

        /**
         * Replaces the database with {@code backup}'s data, keeping what it held as a backup; refused, with nothing
         * changed, while a server holds the data folder or another Lathe process has the database open.
         */
        RestoreDone restore(Path backup);
    }

    /** What {@link Database#check} found; {@code problems} empty when intact, {@code sessions} empty when uncountable. */
    record DatabaseReport(Path file, int schemaVersion, int bundledVersion, java.util.OptionalLong sessions, List<String> problems) {
        public boolean intact() { return problems.isEmpty(); }
    }

    /** One backup: {@code kind} is {@code upgrade}, {@code manual} or {@code before-restore}; the version is empty when unreadable. */
    record BackupRow(Path file, String kind, java.time.Instant madeAt, java.util.OptionalInt schemaVersion, long bytes) {}

    /** A restore: {@code database} holds {@code from}'s data (schema {@code schemaVersion}); what it held is in {@code keptAt}. */
    record RestoreDone(Path database, Path from, int schemaVersion, Optional<Path> keptAt) {}

    /** {@code lathe trust}: the folders the user trusted (DESIGN §18), recorded in the data folder. */
    TrustList trust();

    /** {@code lathe mcp list|add|remove}: the MCP servers a folder's configuration defines, and their entries. */
    McpServers mcp();

    /**
     * {@code lathe hooks}: the hooks {@code directory}'s configuration defines, read from the files, and those an
     * untrusted folder's files define that are skipped.
     *
     * @throws Failure when the config does not load
     */
    HookListing hooks(Path directory);

    /** {@code lathe plugin add|install|list|update|remove|marketplace}: the Claude Code plugins installed in the data folder. */
    Plugins plugins();

    /**
     * One installed Claude Code plugin as {@code lathe plugin list} shows it: its {@code name} (the folder's when its
     * manifest cannot be read), {@code version} and {@code description} ({@code -} when absent), what it brings
     * ({@code parts}, e.g. {@code 2 commands, 1 agent}), where it came from ({@code origin}: a clone's URL, else
     * {@code -}), its folder, and why it does not load, when it does not.
     */
    record PluginRow(String name, String version, String description, String parts, String origin, Path folder, Optional<String> problem) {}

    /** The installed plugins; every method throws {@link Failure} with what is wrong (file, line and key for a bad manifest). */
    interface Plugins {
        /** Installs the plugin folder or git URL {@code source}; @return it as installed */
        PluginRow add(String source);

        List<PluginRow> list();

        /** @return whether a plugin of that name was installed */
        boolean remove(String name);

        /** Installs {@code NAME@MARKETPLACE} from an added marketplace, pinned and locked; @return it as installed */
        PluginRow install(String nameAtMarketplace);

        /** Takes what the plugin's source holds now (or locks an unlocked one as it is); @return lines saying what changed */
        List<String> update(String name);

        /** {@code lathe plugin marketplace add SOURCE [--ref REF]}; @return it as added */
        MarketplaceRow addMarketplace(String source, Optional<String> ref);

        List<MarketplaceRow> marketplaces();

        /** @return whether a marketplace of that name was added */
        boolean removeMarketplace(String name);

        /** Fetches the marketplace again; @return lines saying what changed */
        List<String> updateMarketplace(String name);
    }

    /**
     * One added marketplace as {@code lathe plugin marketplace list} shows it: its name, source (with {@code #REF}), the
     * commit it was fetched at, its plugins' names, and why it cannot be read, when it cannot.
     */
    record MarketplaceRow(String name, String source, String commit, List<String> plugins, Optional<String> problem) {}

    /** Which file {@link McpServers#add} and {@link McpServers#remove} change. */
    enum McpScope { GLOBAL, PROJECT }

    /**
     * One configured MCP server as {@code lathe mcp list} shows it: {@code target} is its command line or URL, with what
     * may be a credential masked ({@code ***}, a URL's query as {@code ?…}).
     */
    record McpServerRow(String name, String type, String target, boolean enabled) {}

    /** A server an untrusted folder defines in {@code source} (relative to the project root): it runs after {@code lathe trust}. */
    record McpUntrusted(String name, String source, String target, boolean changedSinceTrust) {
        public McpUntrusted(String name, String source) {
            this(name, source, "", false);
        }
    }

    /** The MCP entries of the configuration; every method throws {@link Failure} with the file, line and key. */
    interface McpServers {
        /** The servers that run for {@code directory}, in configuration order. */
        List<McpServerRow> list(Path directory);

        /** Servers the folder defines that wait for {@code lathe trust} ({@code NAME (FILE)}). */
        List<String> withheld(Path directory);

        /** The same servers as {@link #withheld}, name and file apart, in the order the files define them. */
        List<McpUntrusted> untrusted(Path directory);

        /** Adds {@code mcp.NAME} = {@code entryJson}; @return the file written */
        Path add(Path directory, McpScope scope, String name, String entryJson);

        /** @return whether the entry was in that file */
        boolean remove(Path directory, McpScope scope, String name);

        /**
         * {@code lathe mcp auth NAME}: signs in to the remote server {@code NAME} through the system browser, the
         * URL printed to {@code prompts}; the tokens are stored in the data folder. Blocks until the browser comes
         * back (at most 5 minutes).
         */
        void signIn(Path directory, String name, java.io.PrintStream prompts);

        /** {@code lathe mcp auth NAME --logout}: revokes (when the server offers it) and forgets the tokens. */
        void signOut(Path directory, String name);
    }

    /** The trusted folders; a running server sees a change from its next prompt. */
    interface TrustList {
        /**
         * Trusts {@code folder} and pins what its project defines that runs code as it is now; @return its canonical
         * path, as recorded
         * @throws Failure when its configuration is invalid (nothing is trusted then)
         */
        Path trust(Path folder);

        /**
         * Trusts {@code folder} and pins exactly the items whose {@code hash} is in {@code shown} (what the user was
         * shown, {@link #review}), with what was approved before and is unchanged; an item changed or added since the
         * listing stays withheld. @return its canonical path, as recorded
         * @throws Failure when its configuration is invalid (nothing is trusted then)
         */
        Path trust(Path folder, java.util.Set<String> shown);

        /**
         * Every command, URL and hook trust allows or would allow in {@code folder}, each with its status:
         * {@code approved}, {@code changed} since trust, or {@code new}.
         * @throws Failure when its configuration is invalid
         */
        List<TrustInfo.Item> review(Path folder);

        /** Whether {@code folder} is trusted (it or a folder above it). */
        boolean trusted(Path folder);

        /** Takes {@code folder}'s trust (and any recorded answer) back. */
        Revoked revoke(Path folder);

        /** The trusted folders, sorted. */
        List<Path> list();
    }

    /**
     * What {@link TrustList#revoke} did: {@code folder} (canonical) was {@code listed} or not, and stays trusted through
     * {@code stillTrustedBy}, a trusted folder above it, when present.
     */
    record Revoked(Path folder, boolean listed, Optional<Path> stillTrustedBy) {}

    /**
     * {@code lathe doctor}: Java, git, ripgrep, bubblewrap, the configuration, the sandbox's state, the default model and
     * the providers with a key for the folder {@code directory}, then the running server, in that order. Offline: no
     * request is sent, no key is shown.
     */
    List<Check> doctor(Path directory);

    /**
     * The configuration of {@code directory} merged as written, secrets masked, as the server answers
     * {@code GET /config}: for {@code lathe doctor}'s check of what only the terminal UI reads ({@code keybinds},
     * {@code theme}). Empty when it does not load ({@link #doctor} says why).
     */
    Optional<String> configJson(Path directory);

    /**
     * The line to say at start when this environment asks for telemetry Lathe will not send (a protocol other than
     * {@code http/protobuf}); empty otherwise.
     */
    Optional<String> telemetryNotice();

    /**
     * {@code lathe upgrade}: why, under the configuration of {@code directory} (local-only mode, however set), it may
     * not connect to the release site {@code site}; empty when it may.
     */
    java.util.Optional<String> downloadRefusal(Path directory, java.net.URI site);

    /**
     * Per OpenCode file of {@code directory}'s project that has keys Lathe does not read, {@code FILE: k1, k2} (empty
     * for a project without one): said on stderr as a client starts, so an OpenCode user learns what is not applied.
     */
    List<String> openCodeSkipped(Path directory);

    /** One line of {@code lathe doctor}: {@code name}, what was found, and a fix when not {@link CheckStatus#OK}. */
    record Check(String name, CheckStatus status, String detail, Optional<String> fix) {}

    /** {@code FAIL}: Lathe cannot work so (the command exits 1); {@code WARN}: it works, but worse. */
    enum CheckStatus { OK, WARN, FAIL }

    /** One project's audit log, read at each call. */
    interface AuditLog {
        /** The file it is in (it may not exist yet). */
        Path file();

        /**
         * The entries, only {@code session}'s when given, one line each: for people, or the raw JSON lines.
         *
         * @throws Failure when the file cannot be read
         */
        List<String> entries(Optional<String> session, AuditForm form);

        /**
         * The hash chain's check.
         *
         * @throws Failure when the file cannot be read
         */
        AuditCheck verify();
    }

    /** How {@link AuditLog#entries} prints an entry. */
    enum AuditForm { TEXT, JSON }

    /** The outcome of {@link AuditLog#verify}. */
    sealed interface AuditCheck {
        /** Every entry checks; {@code sealedTornLines}: torn writes (a crash) that a later entry sealed. */
        /** {@code unkeyedEntries}: the first entries, written before the audit key existed (only a plain hash vouches for them). */
        record Intact(long entries, List<Integer> sealedTornLines, long unkeyedEntries) implements AuditCheck {
            public Intact(long entries, List<Integer> sealedTornLines) { this(entries, sealedTornLines, 0); }
        }

        /** {@code line} (1-based) is the first bad entry, because {@code why}. */
        record Broken(int line, String why) implements AuditCheck {}
    }

    /** The user's saved provider keys; never hands a key back. */
    interface Keys {
        Path file();

        /** Whether the model catalog lists {@code provider}. */
        boolean inCatalog(String provider);

        void save(String provider, String key);

        /** Forgets the saved key or sign-in of {@code provider}; empty when nothing was saved. */
        Optional<Removed> remove(String provider);

        /** Where each provider's key comes from: saved keys first, then catalog providers whose key variable is set. */
        List<KeySource> sources();

        /**
         * The subscription {@code provider} can sign in to instead of a key ({@code ChatGPT Plus/Pro} for {@code openai},
         * {@code GitHub Copilot} for {@code github-copilot}); empty: API keys only (Anthropic's plans included).
         */
        Optional<String> plan(String provider);

        /**
         * Signs in to {@code provider}'s plan (the browser, or a device code when {@code device}; Copilot always uses
         * one), telling the user what to open on {@code prompts}; the tokens are saved in the key file. Blocks until
         * the user finishes (at most 15 minutes).
         *
         * @throws Failure naming what failed
         */
        void signIn(Path directory, String provider, boolean device, java.io.PrintStream prompts);
    }

    /** What {@code lathe auth logout} forgot: {@code what} in words ({@code the key}, {@code the ChatGPT Plus/Pro sign-in}). */
    record Removed(String what, boolean signIn) {}

    /** A provider's key and where it is: the key file, or {@code $VARIABLE}. */
    record KeySource(String provider, String where) {}

    /** One line per normalised event, or one merged object per response. */
    enum DecodeForm { EVENTS, MERGED }

    /** Answers one request line of {@code lathe debug permission} with exactly one JSON line. */
    interface PermissionLines {
        /**
         * {@code {"decision", "commands", "rule", "reason", "layer", "source"}} for a request ({@code layer} and
         * {@code source}: where the deciding rule was written, {@link dev.lathe.core.permission.RuleOrigin}),
         * {@code {"error"}} for a line that is not one.
         */
        String answer(String line);

        /** {@code --auto "COMMAND"}: the rules', the hardDeny list's and the classifier's part in deciding a bash command (DESIGN §31). */
        List<String> auto(String command);
    }

    /** The command cannot run as asked; the message is for the user, after {@code lathe: }. */
    final class Failure extends RuntimeException {
        public Failure(String message) {
            super(message);
        }
    }

    /** A server on this machine that was asked for its models did not answer; the message names its URL. */
    final class Unreachable extends RuntimeException {
        public Unreachable(String message) {
            super(message);
        }
    }
}
