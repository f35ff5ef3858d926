// Code Mode's runner (DESIGN §28), run by node inside bubblewrap (no network, no project, no writable folder) with
// node's permission model on (no file access, no child processes, no workers). The model's code runs in a vm context
// of its own whose only way out is tools.NAME(args): a line to Lathe, which runs the call through its tool pipeline
// and answers on stdin. Only strings cross between this realm and the context, so the code holds no object of this
// realm (whose Function would reach `process`). Lines: in, {code, tools} then {id, ok, text, structured | error};
// out, {t: "call", id, tool, args} and at the end {t: "done", result} or {t: "error", message}.
'use strict';
const vm = require('vm');
const readline = require('readline');

const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const finish = (message) => process.stdout.write(JSON.stringify(message) + '\n', () => process.exit(0));
const pending = new Map();
let next = 0;
let started = false;

readline.createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  let message;
  try { message = JSON.parse(line); } catch { return; }
  if (!started) { started = true; start(String(message.code), Array.from(message.tools || [], String)); return; }
  const call = pending.get(message.id);
  if (!call) return;
  pending.delete(message.id);
  if (message.ok) call.resolve(String(message.text), message.structured == null ? null : String(message.structured));
  else call.reject(String(message.error));
});

// called from inside the context with strings and the context's own functions; it never throws into it
function host(tool, args, resolve, reject) {
  try {
    const id = ++next;
    pending.set(id, { resolve, reject });
    send({ t: 'call', id, tool: String(tool), args: String(args) });
  } catch (e) {
    try { reject('the call could not be sent'); } catch { /* the context's own failure */ }
  }
}

function start(code, names) {
  // a global of no prototype: one from this realm ({}) would hand the code this realm's Object, and through its
  // constructor's Function, `process`
  const context = vm.createContext(Object.create(null), { name: 'mcp_execute', codeGeneration: { strings: true, wasm: false } });
  const setup = vm.runInContext(`(function (host, list, done) {
    'use strict';
    const names = list === '' ? [] : list.split('\\n');
    const then = Promise.prototype.then;
    const apply = Reflect.apply;
    const stringify = JSON.stringify;
    const parse = JSON.parse;
    const call = (name, args) => new Promise((resolve, reject) => {
      let json;
      try { json = stringify(args === undefined ? {} : args); } catch (e) { reject(new TypeError('tools.' + name + ': the arguments are not JSON')); return; }
      host(name, json, (text, structured) => resolve(structured === null ? text : parse(structured)), (message) => reject(new Error(message)));
    });
    const tools = Object.create(null);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      Object.defineProperty(tools, name, { value: (args) => call(name, args), enumerable: true });
    }
    Object.freeze(tools);
    const text = (v) => v === undefined ? '' : typeof v === 'string' ? v : stringify(v, null, 2);
    const describe = (e) => { try { return e instanceof Error ? e.name + ': ' + e.message : 'thrown: ' + String(e); } catch { return 'an error that cannot be shown'; } };
    return (code) => {
      let body;
      try {
        body = new (Object.getPrototypeOf(async function () {}).constructor)('tools', code);
      } catch (e) { done(false, describe(e)); return; }
      let running;
      try { running = body(tools); } catch (e) { done(false, describe(e)); return; }
      apply(then, running, [(v) => { let out; try { out = text(v); } catch (e) { done(false, 'the result is not JSON: ' + describe(e)); return; } done(true, '' + out); },
        (e) => done(false, describe(e))]);
    };
  })`, context);
  const run = setup(host, names.join('\n'), (ok, text) => {
    finish(ok ? { t: 'done', result: String(text) } : { t: 'error', message: String(text) });
  });
  run(code);
}
