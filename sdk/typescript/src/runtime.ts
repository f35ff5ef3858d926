// The hand-written half of the SDK: requests, errors, discovery and the event stream. The routes and types are
// generated (client.ts, types.ts: bin/sdk); this file names no route but EVENTS and SESSION_STATUS/PROMPT, which the
// helpers need.
import { FrameTooLarge, frames } from "./sse.js";
import { ROUTES, type LatheEvent, type PromptAccepted, type PromptRequest, type SessionStatus } from "./types.js";

/** A query parameter's value; undefined and null leave it out. */
export type QueryValue = string | number | boolean | undefined | null;

export interface CallOptions {
  /** The project folder the call is about (sent as X-Lathe-Directory); the client's own when left out. */
  directory?: string;
  signal?: AbortSignal;
}

export interface StreamOptions extends CallOptions {
  /** Resume after this event id (the `seq` of the last event seen): the server sends every event after it. */
  lastEventId?: string;
}

/** The answer of a route that redirects (the web login): its status and where it points. */
export interface Redirected {
  status: number;
  location: string | null;
}

export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:4096 */
  url: string;
  /** Its bearer token (server.json's `token`, or a team user's). */
  token: string;
  /** The project folder calls are about unless a call names another. */
  directory?: string;
  /** The fetch to use (the global one by default). */
  fetch?: typeof fetch;
}

export interface ConnectOptions {
  /** A server's URL; without it, the one the local server.json names. */
  url?: string;
  /** Its token; without it, LATHE_SERVER_TOKEN, else server.json's when it describes that server. */
  token?: string;
  /** Where server.json is: $XDG_STATE_HOME/lathe/server.json or ~/.local/state/lathe/server.json by default. */
  serverJson?: string;
  directory?: string;
  fetch?: typeof fetch;
}

interface Route {
  readonly method: string;
  readonly template: string;
}

/** The server refused a call (`status`, and its `code` and `message` as it sent them) or could not be reached (status 0). */
export class LatheError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
/** 400, and any other 4xx the server does not name below: the request was wrong. */
export class InvalidInputError extends LatheError {}
/** 401: no token, or a token the server does not know. */
export class UnauthorizedError extends LatheError {}
/** 403: the caller may not do this. */
export class ForbiddenError extends LatheError {}
/** 404: no such session, message, route, … */
export class NotFoundError extends LatheError {}
/** 409: the state does not allow it now (a session is busy, …). */
export class ConflictError extends LatheError {}
/** 413: the body is too large. */
export class TooLargeError extends LatheError {}
/** 422: the configuration is invalid. */
export class InvalidConfigError extends LatheError {}
/** 422 with code command_failed: a custom command's shell line failed. */
export class CommandFailedError extends LatheError {}
/** 500 and other 5xx: the server failed. */
export class FailedError extends LatheError {}
/** 502, 503, 504: the server or what it relies on is unavailable now. */
export class UnavailableError extends LatheError {}
/** No answer at all: the server is not running or not reachable (status 0). */
export class ConnectionError extends LatheError {}

/** The typed error of an error answer, keeping the server's code and message. */
export function errorOf(status: number, body: string): LatheError {
  let code = `http_${status}`;
  let message = `HTTP ${status}${body.trim() ? ": " + body.trim().slice(0, 200) : ""}`;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed?.error?.code === "string" && typeof parsed.error.message === "string") {
      code = parsed.error.code;
      message = parsed.error.message;
    }
  } catch {
    // not an error body: the status says what it is
  }
  const kind =
    status === 400 ? InvalidInputError
    : status === 401 ? UnauthorizedError
    : status === 403 ? ForbiddenError
    : status === 404 ? NotFoundError
    : status === 409 ? ConflictError
    : status === 413 ? TooLargeError
    : status === 422 ? (code === "command_failed" ? CommandFailedError : InvalidConfigError)
    : status >= 502 && status <= 504 ? UnavailableError
    : status >= 400 && status < 500 ? InvalidInputError
    : FailedError;
  return new kind(status, code, message);
}

/** How long a stream may stay silent (the server sends a heartbeat every 10 s) before it is reconnected. */
const SILENCE_MS = 35_000;
/** Connection attempts in a row a stream makes before it gives up with a ConnectionError. */
const STREAM_ATTEMPTS = 6;

/** Requests, errors and events over the server's HTTP API; LatheClient adds one method per route. */
export class Transport {
  readonly url: string;
  readonly directory: string | undefined;
  readonly #token: string;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    if (!/^https?:\/\//i.test(options.url)) throw new InvalidInputError(0, "bad_url", `not an http(s) URL: ${options.url}`);
    if (!options.token) throw new InvalidInputError(0, "no_token", "a token is needed (server.json's token, or LATHE_SERVER_TOKEN)");
    this.url = options.url.replace(/\/+$/, "");
    this.#token = options.token;
    this.directory = options.directory;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * A client of the server `options.url` names, else of the local server its server.json describes (the one `lathe
   * serve` or the daemon wrote). Node only when it reads server.json.
   */
  static async connect<C extends Transport>(this: new (options: ClientOptions) => C, options: ConnectOptions = {}): Promise<C> {
    const env: Record<string, string | undefined> = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
    const given = options.token ?? (env.LATHE_SERVER_TOKEN?.trim() || undefined);
    let url = options.url;
    let token = given;
    if (url === undefined || token === undefined) {
      const file = options.serverJson ?? (await defaultServerJson(env));
      const found = await readServerJson(file);
      if (url === undefined) {
        if (!found) throw new ConnectionError(0, "no_server", `no Lathe server: ${file} is missing or unreadable (start one with lathe serve)`);
        url = found.url;
      }
      if (token === undefined && found && sameServer(found.url, url)) token = found.token;
      if (token === undefined) throw new UnauthorizedError(0, "no_token", `no token for ${url}: pass one or set LATHE_SERVER_TOKEN`);
    }
    return new this({ url, token, directory: options.directory, fetch: options.fetch });
  }

  /** Redacted: the token never reaches a log. */
  toString(): string {
    return `LatheClient(${this.url})`;
  }

  /** One call: the answer's JSON (an empty object for an empty answer), or the typed error of the server's refusal. */
  protected async request(route: Route, values: string[], query: Record<string, QueryValue>, body: unknown, options: CallOptions): Promise<unknown> {
    const response = await this.#send(route, values, query, body, options, {});
    const text = await response.text();
    if (!response.ok) throw errorOf(response.status, text);
    if (text.length === 0) return {};
    return (response.headers.get("content-type") ?? "").startsWith("application/json") ? JSON.parse(text) : text;
  }

  /** A call whose answer is a redirect, not followed. */
  protected async redirect(route: Route, values: string[], query: Record<string, QueryValue>, options: CallOptions): Promise<Redirected> {
    const response = await this.#send(route, values, query, undefined, options, {});
    if (response.status >= 400) throw errorOf(response.status, await response.text());
    await response.body?.cancel();
    return { status: response.status, location: response.headers.get("location") };
  }

  /**
   * The server's events as they come, reconnecting with Last-Event-ID after a dropped connection (so none is missed
   * while the server still holds it; a `resync` event says when it no longer did). It ends only when `signal` aborts,
   * the loop breaks, or the server stays unreachable (ConnectionError).
   */
  protected async *stream(route: Route, query: Record<string, QueryValue>, options: StreamOptions): AsyncGenerator<LatheEvent> {
    let lastId = options.lastEventId;
    let failures = 0;
    while (!options.signal?.aborted) {
      const connection = new AbortController();
      const abort = () => connection.abort();
      options.signal?.addEventListener("abort", abort, { once: true });
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const quiet = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(abort, SILENCE_MS);
      };
      try {
        let response: Response;
        try {
          quiet();
          const headers: Record<string, string> = { Accept: "text/event-stream" };
          if (lastId !== undefined) headers["Last-Event-ID"] = lastId;
          response = await this.#send(route, [], query, undefined, { ...options, signal: connection.signal }, headers);
        } catch (e) {
          if (options.signal?.aborted) return;
          if (++failures >= STREAM_ATTEMPTS) throw e;
          await sleep(Math.min(250 * 2 ** failures, 4_000));
          continue;
        }
        if (!response.ok) throw errorOf(response.status, await response.text());
        failures = 0;
        try {
          for await (const frame of frames(response.body!, quiet)) {
            if (frame.id !== undefined) lastId = frame.id;
            if (frame.data !== "") yield JSON.parse(frame.data) as LatheEvent;
          }
        } catch (e) {
          if (options.signal?.aborted) return;
          if (e instanceof FrameTooLarge) throw new FailedError(0, "frame_too_large", e.message);
          if (e instanceof LatheError || e instanceof SyntaxError) throw e;
          // a dropped or silent connection: connect again from the last event seen
        }
      } finally {
        clearTimeout(watchdog);
        options.signal?.removeEventListener("abort", abort);
        connection.abort();
      }
    }
  }

  /** Every event of one session as it comes, reconnecting (see stream); ends when the loop breaks or `signal` aborts. */
  follow(sessionId: string, options: StreamOptions = {}): AsyncGenerator<LatheEvent> {
    return this.stream(ROUTES.EVENTS, { session: sessionId }, options);
  }

  /**
   * A session's events until its turn ends (its status is idle again), the last being that `session.status` event.
   * When no turn runs, it ends at once. A `session.error` event comes before the end of a turn that failed.
   */
  followTurn(sessionId: string, options: StreamOptions = {}): AsyncGenerator<LatheEvent> {
    return this.#untilIdle(sessionId, options, undefined);
  }

  /**
   * Sends a prompt (a text, or a whole PromptRequest) to a session and yields its events until the turn ends; the
   * generator's return value is the server's PromptAccepted. The stream is open before the prompt is sent, so no
   * event of the turn is missed.
   */
  turn(sessionId: string, prompt: string | PromptRequest, options: StreamOptions = {}): AsyncGenerator<LatheEvent, PromptAccepted | undefined> {
    const body: PromptRequest = typeof prompt === "string" ? { parts: [{ type: "text", text: prompt }] } : prompt;
    return this.#untilIdle(sessionId, options, () =>
      this.request(ROUTES.SESSION_PROMPT, [sessionId], {}, body, options) as Promise<PromptAccepted>);
  }

  /**
   * The session's events until it is idle. It asks the session's status only where no event can say it: on the first
   * connection of followTurn, after `resync` (the server no longer held what was missed), and after a reconnect that
   * could not resume (no event with an id seen yet). A reconnect that resumes gets what it missed replayed after
   * `server.connected`, the end of the turn included, so it must not end there.
   */
  async *#untilIdle(sessionId: string, options: StreamOptions, start: (() => Promise<PromptAccepted>) | undefined): AsyncGenerator<LatheEvent, PromptAccepted | undefined> {
    let accepted: PromptAccepted | undefined;
    let connections = 0;
    let resumable = options.lastEventId !== undefined;
    const idle = async () =>
      ((await this.request(ROUTES.SESSION_STATUS, [sessionId], {}, undefined, options)) as SessionStatus).type === "idle";
    for await (const event of this.follow(sessionId, options)) {
      yield event;
      if (event.seq > 0) resumable = true;
      if (event.type === "server.connected") {
        connections++;
        if (connections === 1 && start !== undefined) accepted = await start();
        else if ((connections === 1 || !resumable) && (await idle())) return accepted;
      } else if (event.type === "resync") {
        if (await idle()) return accepted;
      } else if (event.type === "session.status" && event.sessionId === sessionId && event.status.type === "idle") {
        return accepted;
      }
    }
    return accepted;
  }

  async #send(route: Route, values: string[], query: Record<string, QueryValue>, body: unknown, options: CallOptions,
      extra: Record<string, string>): Promise<Response> {
    const url = this.url + fill(route.template, values) + queryString(query);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#token}`, Accept: "application/json", ...extra };
    const directory = options.directory ?? this.directory;
    if (directory !== undefined) headers["X-Lathe-Directory"] = encodeHeader(directory);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    try {
      return await this.#fetch(url, {
        method: route.method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // never followed: the token goes to this server only (the API redirects nowhere but the web login)
        redirect: "manual",
        signal: options.signal,
      });
    } catch (e) {
      if (options.signal?.aborted) throw e;
      throw new ConnectionError(0, "unreachable", `cannot reach the Lathe server at ${this.url} (${route.method} ${route.template}): ${(e as Error).message}`);
    }
  }
}

/** The template with each value percent-encoded as one segment (a value holding / or .. stays in its segment). */
function fill(template: string, values: string[]): string {
  let next = 0;
  const path = template.replace(/\{[^}]+\}/g, (name) => {
    const value = values[next++];
    if (value === undefined || value === "") throw new InvalidInputError(0, "invalid_input", `${name.slice(1, -1)} is empty`);
    return value === "." || value === ".." ? value.replace(/\./g, "%2E") : encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  });
  if (next !== values.length) throw new InvalidInputError(0, "invalid_input", `${template} takes ${next} path values, not ${values.length}`);
  return path;
}

function queryString(query: Record<string, QueryValue>): string {
  const pairs = Object.entries(query).filter(([, v]) => v !== undefined && v !== null);
  return pairs.length === 0 ? "" : "?" + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join("&");
}

/** A folder as the X-Lathe-Directory header carries it: UTF-8, percent-encoded but for letters, digits and -_.~/: */
function encodeHeader(value: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~/:]/.test(c) ? c : "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A module of Node's own, loaded only when server.json is read (so the rest runs wherever fetch does). */
function nodeModule<M>(name: string): Promise<M> {
  return import(name) as Promise<M>;
}

async function defaultServerJson(env: Record<string, string | undefined>): Promise<string> {
  const { homedir } = await nodeModule<{ homedir(): string }>("node:os");
  const { join, isAbsolute } = await nodeModule<{ join(...parts: string[]): string; isAbsolute(path: string): boolean }>("node:path");
  const state = env.XDG_STATE_HOME;
  const base = state && isAbsolute(state) ? state : join(homedir(), ".local", "state");
  return join(base, "lathe", "server.json");
}

async function readServerJson(file: string): Promise<{ url: string; token: string } | undefined> {
  const { readFile } = await nodeModule<{ readFile(path: string, encoding: "utf8"): Promise<string> }>("node:fs/promises");
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as { url?: unknown; token?: unknown };
    return typeof parsed.url === "string" && typeof parsed.token === "string" ? { url: parsed.url, token: parsed.token } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether two URLs name one server (loopback names count as one host; a trailing slash is ignored). */
function sameServer(a: string, b: string): boolean {
  try {
    const [x, y] = [new URL(a), new URL(b)];
    const host = (u: URL) => (["localhost", "127.0.0.1", "[::1]"].includes(u.hostname) ? "loopback" : u.hostname);
    const port = (u: URL) => u.port || (u.protocol === "https:" ? "443" : "80");
    const path = (u: URL) => u.pathname.replace(/\/+$/, "");
    return x.protocol === y.protocol && host(x) === host(y) && port(x) === port(y) && path(x) === path(y);
  } catch {
    return false;
  }
}
