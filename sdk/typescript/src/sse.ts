// Server-sent events read from a fetch body: frames (`id:` and `data:` lines up to a blank line), read eagerly.

/** One SSE frame: its id (when it has one) and its data lines joined. */
export interface Frame {
  id?: string;
  data: string;
}

/** The largest event frame read (a tool's whole output fits; a server that never ends a line does not). */
export const MAX_FRAME_CHARS = 64 * 1024 * 1024;

/** Thrown when a frame or a line is larger than MAX_FRAME_CHARS. */
export class FrameTooLarge extends Error {}

/** Turns chunks of bytes into whole frames, keeping what is not a whole line or frame yet. */
class FrameParser {
  readonly #decoder = new TextDecoder();
  #buffer = "";
  #data: string[] = [];
  #size = 0;
  #id: string | undefined;

  push(chunk: Uint8Array): Frame[] {
    const out: Frame[] = [];
    this.#buffer += this.#decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      if (this.#buffer[end] === "\r" && end === this.#buffer.length - 1) break; // a \r\n split across chunks
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + (this.#buffer.startsWith("\r\n", end) ? 2 : 1));
      if (line === "") {
        if (this.#data.length > 0 || this.#id !== undefined) out.push({ id: this.#id, data: this.#data.join("\n") });
        this.#data = [];
        this.#size = 0;
        this.#id = undefined;
      } else if (line.startsWith("data:")) {
        const value = line.slice(line.startsWith("data: ") ? 6 : 5);
        this.#size += value.length;
        if (this.#size > MAX_FRAME_CHARS) throw new FrameTooLarge(`an event of more than ${MAX_FRAME_CHARS} characters`);
        this.#data.push(value);
      } else if (line.startsWith("id:")) {
        this.#id = line.slice(line.startsWith("id: ") ? 4 : 3);
      }
    }
    if (this.#buffer.length > MAX_FRAME_CHARS) throw new FrameTooLarge(`a line of more than ${MAX_FRAME_CHARS} characters`);
    return out;
  }
}

/**
 * The frames of a body, then the error that ended it, if any. The body is read as it arrives, not as the caller asks:
 * a stream that errors drops the chunks nobody has read yet, and those are the events a reconnect would then resume
 * after without ever yielding. Reading stops while the frames read and not yet taken hold MAX_FRAME_CHARS.
 */
export async function* frames(body: ReadableStream<Uint8Array>, onBytes: () => void): AsyncGenerator<Frame> {
  const reader = body.getReader();
  const parser = new FrameParser();
  const queue: Frame[] = [];
  let queued = 0;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        onBytes();
        for (const frame of parser.push(value)) {
          queue.push(frame);
          queued += frame.data.length;
        }
        wake?.();
        while (queued > MAX_FRAME_CHARS) await new Promise<void>((r) => (resume = r));
      }
    } catch (e) {
      failure = e;
    } finally {
      ended = true;
      wake?.();
    }
  })();
  try {
    for (;;) {
      const frame = queue.shift();
      if (frame !== undefined) {
        queued -= frame.data.length;
        resume?.();
        resume = undefined;
        yield frame;
      } else if (ended) {
        if (failure !== undefined) throw failure;
        return;
      } else {
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => undefined);
    resume?.();
    await pump;
  }
}
