package dev.lathe.acp;

import dev.lathe.jsonrpc.JsonRpcPeer;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;

/** The editor's buffers for a session's file tools (pending: the daemon side lands with issue 29's fs part). */
final class EditorFiles {
    private EditorFiles() {}

    static void attach(LatheApi api, SessionId session, EditorCapabilities capabilities, JsonRpcPeer editor) {}
}
