package dev.lathe.server.local;

import dev.lathe.core.audit.AuditChain;
import dev.lathe.core.audit.AuditFiles;
import dev.lathe.core.audit.AuditReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link LocalCommands.AuditLog} over the core's {@link AuditReader}. */
final class InProcessAuditLog implements LocalCommands.AuditLog {
    private final AuditReader reader;

    InProcessAuditLog(AuditFiles files, Path project) {
        this.reader = new AuditReader(files, project);
    }

    @Override
    public Path file() { return reader.file(); }

    @Override
    public List<String> entries(Optional<String> session, LocalCommands.AuditForm form) {
        try {
            return switch (form) {
                case TEXT -> reader.human(session);
                case JSON -> reader.json(session);
            };
        } catch (IOException e) {
            throw new LocalCommands.Failure("cannot read the audit log " + reader.file() + ": " + e.getMessage());
        }
    }

    @Override
    public LocalCommands.AuditCheck verify() {
        try {
            return switch (reader.verify()) {
                case AuditChain.Verification.Intact i -> new LocalCommands.AuditCheck.Intact(i.entries(), i.sealedTornLines(), i.unkeyedEntries());
                case AuditChain.Verification.Broken b -> new LocalCommands.AuditCheck.Broken(b.line(), b.why());
            };
        } catch (IOException e) {
            throw new LocalCommands.Failure("cannot read the audit log " + reader.file() + ": " + e.getMessage());
        }
    }
}
