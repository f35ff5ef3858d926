// An editor, as far as ACP goes: the official ACP TypeScript client library (@agentclientprotocol/sdk) driving
// `lathe acp` through a scenario given as JSON, then printing a report of everything it saw as one JSON line.
//   node editor.mjs SDK_MODULE SCENARIO_JSON
// The scenario: {command: [argv of lathe acp], env: {...}, cwd, fs: bool, answer: "allow_once"|..., steps: [...]}
// Steps: {do:"initialize"} {do:"new"} {do:"prompt", text, cancelOn?|closeOn?: "tool_call"|"agent_message_chunk"}
//        {do:"list"} {do:"load", sessionId?} {do:"resume", sessionId?}; "new" takes mcpServers
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

const sdk = await import(process.argv[2]);
const scenario = JSON.parse(process.argv[3]);
const agent = spawn(scenario.command[0], scenario.command.slice(1), { cwd: scenario.cwd, env: scenario.env, stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
agent.stderr.on("data", (d) => { stderr += d; });
// permissionAt: how many updates had come when each permission ask came (what the editor knew of when it was asked)
const report = { updates: [], permissions: [], permissionAt: [], reads: [], writes: [], results: [], errors: [] };
let sessionId = scenario.sessionId;
let cancelOn = null;
let closeOn = null;
let ctxRef = null;

// the order on the wire: the SDK runs handlers asynchronously, and a small request's handler can start before the
// handler of a larger notification that came first, so permissionAt counts the updates read off the agent's output
let wireUpdates = 0;
const wirePermissionAt = [];
let pending = "";
const utf8 = new StringDecoder("utf8");
agent.stdout.on("data", (chunk) => {
  pending += utf8.write(chunk);
  let nl;
  while ((nl = pending.indexOf("\n")) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    try {
      const m = JSON.parse(line);
      if (m.method === "session/update") wireUpdates++;
      if (m.method === "session/request_permission") wirePermissionAt.push(wireUpdates);
    } catch (e) { /* not a message */ }
  }
});
const stream = sdk.ndJsonStream(Writable.toWeb(agent.stdin), Readable.toWeb(agent.stdout));
const app = sdk.client({ name: "lathe-acp-test" })
  .onRequest(sdk.methods.client.session.requestPermission, async ({ params }) => {
    report.permissions.push(params);
    report.permissionAt.push(wirePermissionAt[report.permissions.length - 1] ?? report.updates.length);
    return { outcome: { outcome: "selected", optionId: scenario.answer ?? "allow_once" } };
  })
  .onRequest(sdk.methods.client.fs.readTextFile, async ({ params }) => {
    report.reads.push(params.path);
    // the editor's buffer: what is on disk, with an unsaved marker line an editor would have
    return { content: readFileSync(params.path, "utf8") + (scenario.unsaved ?? "") };
  })
  .onRequest(sdk.methods.client.fs.writeTextFile, async ({ params }) => {
    report.writes.push(params.path);
    writeFileSync(params.path, params.content);
    return {};
  })
  .onNotification(sdk.methods.client.session.update, async ({ params }) => {
    report.updates.push(params);
    if (cancelOn && params.update.sessionUpdate === cancelOn && ctxRef) {
      cancelOn = null;
      report.cancelSent = true;
      await ctxRef.notify(sdk.methods.agent.session.cancel, { sessionId: params.sessionId });
    }
    if (closeOn && params.update.sessionUpdate === closeOn && ctxRef) {
      closeOn = null;
      report.closed = await ctxRef.request(sdk.methods.agent.session.close, { sessionId: params.sessionId });
    }
  });

try {
  await app.connectWith(stream, async (ctx) => {
    ctxRef = ctx;
    for (const step of scenario.steps) {
      const started = Date.now();
      let result;
      try {
        switch (step.do) {
          case "initialize":
            result = await ctx.request(sdk.methods.agent.initialize, {
              protocolVersion: 1,
              clientCapabilities: { fs: { readTextFile: !!scenario.fs, writeTextFile: !!scenario.fs }, terminal: false },
            });
            break;
          case "new":
            result = await ctx.request(sdk.methods.agent.session.new, { cwd: scenario.cwd, mcpServers: step.mcpServers ?? [] });
            sessionId = result.sessionId;
            break;
          case "prompt":
            cancelOn = step.cancelOn ?? null;
            closeOn = step.closeOn ?? null;
            result = await ctx.request(sdk.methods.agent.session.prompt, { sessionId, prompt: [{ type: "text", text: step.text }] });
            break;
          case "list":
            result = await ctx.request(sdk.methods.agent.session.list, { cwd: scenario.cwd });
            break;
          case "load":
            result = await ctx.request(sdk.methods.agent.session.load, { sessionId: step.sessionId ?? sessionId, cwd: scenario.cwd, mcpServers: [] });
            sessionId = step.sessionId ?? sessionId;
            break;
          case "resume":
            result = await ctx.request(sdk.methods.agent.session.resume, { sessionId: step.sessionId ?? sessionId, cwd: scenario.cwd, mcpServers: [] });
            sessionId = step.sessionId ?? sessionId;
            break;
          case "waitMcp": {
            // an editor's MCP servers start in the background (session/new waits 10 s at most): a loaded test machine
            // can take longer, so the test asks the daemon (server.json's url and token) until they are up
            const server = JSON.parse(readFileSync(scenario.env.XDG_STATE_HOME + "/lathe/server.json", "utf8"));
            const deadline = Date.now() + 60000;
            for (;;) {
              const r = await fetch(server.url + "/sessions/" + sessionId + "/mcp", { headers: { Authorization: "Bearer " + server.token } });
              result = await r.json();
              if (result.every((s) => s.status !== "starting") || Date.now() > deadline) break;
              await new Promise((resolve) => setTimeout(resolve, 200));
            }
            break;
          }
          case "setMode":
            result = await ctx.request(sdk.methods.agent.session.setMode, { sessionId, modeId: step.modeId });
            break;
          default:
            throw new Error("unknown step " + step.do);
        }
        report.results.push({ step: step.do, ms: Date.now() - started, result });
      } catch (e) {
        report.results.push({ step: step.do, ms: Date.now() - started, error: { code: e.code, message: e.message } });
      }
    }
  });
} catch (e) {
  report.errors.push(String(e && e.stack || e));
}
report.sessionId = sessionId;
agent.stdin.end();
const exited = await new Promise((resolve) => {
  const timer = setTimeout(() => { agent.kill("SIGKILL"); resolve("killed"); }, 10000);
  agent.on("exit", (code) => { clearTimeout(timer); resolve(code); });
});
report.exit = exited;
report.stderr = stderr;
process.stdout.write(JSON.stringify(report) + "\n");
