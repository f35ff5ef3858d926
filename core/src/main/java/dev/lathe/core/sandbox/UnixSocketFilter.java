package dev.lathe.core.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seccomp program bubblewrap installs ({@code --seccomp FD}) when a sandbox has no network: creating a unix
 * socket ({@code socket(AF_UNIX, ...)}) fails with EACCES, and so does {@code io_uring_setup} (io_uring can create
 * sockets past seccomp). A unix socket on the file system (an ssh-agent, Docker's, the session bus) is a door out of
 * the sandbox that no network namespace closes and that hiding folders closes only where the socket is known to lie;
 * without a socket of its own a command can connect to none. {@code socketpair} stays allowed: it reaches nothing
 * outside the process tree, and runtimes (libuv, Python's asyncio) use it for their own plumbing. Abstract-namespace
 * sockets belong to the network namespace, which the sandbox has its own of.
 *
 * <p>x86-64 and aarch64 are filtered by their system-call numbers; on x86-64, 32-bit calls ({@code int 0x80}: the
 * {@code socketcall} multiplexer, {@code socket}) and x32 calls are refused too, as they would bypass the numbers.
 */
final class UnixSocketFilter {
    private UnixSocketFilter() {}

    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    private static final int AUDIT_ARCH_AARCH64 = 0xc00000b7;
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int X32_BIT = 0x40000000;
    private static final int AF_UNIX = 1;
    private static final int EACCES = 13;
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_ERRNO = 0x00050000;
    /** A process of an ABI the filter has no syscall numbers for (an armhf binary on aarch64, any other host): killed, not let through. */
    private static final int RET_KILL_PROCESS = 0x80000000;

    private static volatile Path path;

    /** The program as a file (made once per process, read-only): bubblewrap reads it from a descriptor. */
    static Path path() {
        Path known = path;
        if (known != null && Files.isRegularFile(known)) return known;
        synchronized (UnixSocketFilter.class) {
            try {
                Path p = Files.createTempFile("lathe-sandbox-seccomp-", ".bpf", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(p, program());
                p.toFile().deleteOnExit();
                path = p;
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the sandbox's seccomp program", e);
            }
        }
    }

    /** The classic-BPF program, as {@code struct sock_filter} entries in the machine's byte order. */
    static byte[] program() {
        var b = new Assembler();
        b.loadArch();
        b.jumpIfEquals(AUDIT_ARCH_X86_64, "x86_64");
        b.jumpIfEquals(AUDIT_ARCH_AARCH64, "aarch64");
        b.jumpIfEquals(AUDIT_ARCH_I386, "i386");
        b.ret(RET_KILL_PROCESS);

        b.label("x86_64");
        b.loadNr();
        b.jumpIfAtLeast(X32_BIT, "deny");
        b.jumpIfEquals(41, "family"); // socket
        b.jumpIfEquals(425, "deny"); // io_uring_setup
        b.ret(RET_ALLOW);

        b.label("aarch64");
        b.loadNr();
        b.jumpIfEquals(198, "family");
        b.jumpIfEquals(425, "deny");
        b.ret(RET_ALLOW);

        b.label("i386");
        b.loadNr();
        b.jumpIfEquals(102, "deny"); // socketcall: its arguments are in memory, out of a filter's reach
        b.jumpIfEquals(359, "family");
        b.jumpIfEquals(425, "deny");
        b.ret(RET_ALLOW);

        b.label("family");
        b.loadFirstArgument();
        b.jumpIfEquals(AF_UNIX, "deny");
        b.ret(RET_ALLOW);

        b.label("deny");
        b.ret(RET_ERRNO | EACCES);
        return b.bytes();
    }

    /** A tiny classic-BPF assembler: forward jumps to labels, resolved at the end. */
    private static final class Assembler {
        private record Insn(short code, String trueLabel, int k) {}

        private final List<Insn> insns = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        void loadArch() { insns.add(new Insn((short) 0x20, null, 4)); } // BPF_LD|BPF_W|BPF_ABS seccomp_data.arch

        void loadNr() { insns.add(new Insn((short) 0x20, null, 0)); } // seccomp_data.nr

        void loadFirstArgument() { insns.add(new Insn((short) 0x20, null, 16)); } // args[0], low half (little-endian)

        void jumpIfEquals(int k, String label) { insns.add(new Insn((short) 0x15, label, k)); } // BPF_JMP|BPF_JEQ|BPF_K

        void jumpIfAtLeast(int k, String label) { insns.add(new Insn((short) 0x35, label, k)); } // BPF_JMP|BPF_JGE|BPF_K

        void ret(int k) { insns.add(new Insn((short) 0x06, null, k)); } // BPF_RET|BPF_K

        void label(String name) { labels.put(name, insns.size()); }

        byte[] bytes() {
            ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.nativeOrder());
            for (int i = 0; i < insns.size(); i++) {
                Insn in = insns.get(i);
                int jt = 0;
                if (in.trueLabel() != null) {
                    jt = labels.get(in.trueLabel()) - i - 1;
                    if (jt < 0 || jt > 255) throw new IllegalStateException("jump out of range to " + in.trueLabel());
                }
                out.putShort(in.code()).put((byte) jt).put((byte) 0).putInt(in.k());
            }
            return out.array();
        }
    }
}
