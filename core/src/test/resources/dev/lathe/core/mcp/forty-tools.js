// A real MCP server over stdio (newline-delimited JSON-RPC) with 40 tools, for Code Mode's tests: echo, add (a
// structured result), write_note (writes a file: the tool a test's config denies) and 37 fillers.
'use strict';
const fs = require('fs');
const readline = require('readline');
const tools = [
  { name: 'echo', description: 'Echoes the message back.', inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } },
  { name: 'add', description: 'Adds two numbers; the sum is structured.', inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    outputSchema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] } },
  { name: 'write_note', description: 'Writes a note to a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' }, text: { type: 'string' } }, required: ['path', 'text'] } },
];
for (let i = 1; tools.length < 40; i++) {
  const n = String(i).padStart(2, '0');
  tools.push({ name: 'filler_' + n, description: 'Filler tool number ' + n + ' of the forty-tool catalogue (zebra-' + n + ').',
    inputSchema: { type: 'object', properties: { value: { type: 'string', description: 'a value for filler ' + n } } } });
}
const send = (m) => process.stdout.write(JSON.stringify(m) + '\n');
function call(name, args) {
  switch (name) {
    case 'echo': return { content: [{ type: 'text', text: 'Echo: ' + args.message }] };
    case 'add': { const sum = args.a + args.b; return { content: [{ type: 'text', text: JSON.stringify({ sum }) }], structuredContent: { sum } }; }
    case 'write_note': fs.writeFileSync(args.path, args.text); return { content: [{ type: 'text', text: 'written' }] };
    default: return { content: [{ type: 'text', text: name + ' ran' }] };
  }
}
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.id === undefined) return;
  switch (m.method) {
    case 'initialize':
      send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'forty', version: '1.0.0' } } });
      break;
    case 'tools/list': send({ jsonrpc: '2.0', id: m.id, result: { tools } }); break;
    case 'tools/call': send({ jsonrpc: '2.0', id: m.id, result: call(m.params.name, m.params.arguments || {}) }); break;
    case 'ping': send({ jsonrpc: '2.0', id: m.id, result: {} }); break;
    default: send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no method ' + m.method } });
  }
});
