#!/usr/bin/env node
// A bedrock-bench converter (JSON lines on stdin and stdout) that converts
// each history the way an application built on the Vercel AI SDK does:
// the history becomes AI SDK messages, and the SDK's own Amazon Bedrock
// provider builds the Converse request. A fetch stand-in captures that
// request instead of sending it, and answers with a minimal Converse
// response, so nothing leaves the machine and no credentials are needed.
//
//   → {"id":"…","target":{"name":"…","region":"…","model":"…","family":"…"},"history":{…fixture…}}
//   ← {"id":"…","request":{…the Converse body the SDK would send…}}  or  {"id":"…","error":"…"}
//
// Run by bedrock-bench (converter: {command: [node, examples/vercel-ai-sdk/convert.mjs]}).
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, jsonSchema, tool } from 'ai';

// Warnings go nowhere: stdout is the protocol, and the bench reports what
// matters (the rules each request breaks).
globalThis.AI_SDK_LOG_WARNINGS = false;

// toModelMessages turns a fixture's request into AI SDK messages and call
// settings. OpenAI Chat Completions and Anthropic Messages bodies are
// read; other formats are an error the bench reports.
export function toModelMessages(history) {
  const req = history.request ?? {};
  switch (history.format) {
    case 'openai':
      return fromOpenAI(req);
    case 'anthropic':
      return fromAnthropic(req);
    default:
      throw new Error(`format ${JSON.stringify(history.format)}: this converter reads openai and anthropic histories`);
  }
}

function text(s) {
  return { type: 'text', text: s };
}

function parseArgs(s) {
  if (typeof s !== 'string') return s ?? {};
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function openAIContent(content) {
  if (content == null) return [];
  if (typeof content === 'string') return [text(content)];
  return content.map((p) => {
    if (p.type === 'text') return text(p.text);
    if (p.type === 'image_url') {
      const url = p.image_url?.url ?? '';
      const m = /^data:([^;]+);base64,(.*)$/s.exec(url);
      if (!m) throw new Error('a web image URL: the AI SDK would download it; this converter stays offline');
      return { type: 'image', image: m[2], mediaType: m[1] };
    }
    throw new Error(`content part type ${JSON.stringify(p.type)} is not supported`);
  });
}

function fromOpenAI(req) {
  const messages = [];
  const names = new Map(); // tool call id → tool name
  for (const m of req.messages ?? []) {
    switch (m.role) {
      case 'system':
      case 'developer': {
        const parts = openAIContent(m.content);
        messages.push({ role: 'system', content: parts.map((p) => p.text ?? '').join('\n') });
        break;
      }
      case 'user':
        messages.push({ role: 'user', content: openAIContent(m.content) });
        break;
      case 'assistant': {
        const content = openAIContent(m.content);
        for (const c of m.tool_calls ?? []) {
          names.set(c.id, c.function?.name);
          content.push({ type: 'tool-call', toolCallId: c.id, toolName: c.function?.name, input: parseArgs(c.function?.arguments) });
        }
        if (m.function_call) {
          names.set('function_call', m.function_call.name);
          content.push({ type: 'tool-call', toolCallId: 'function_call', toolName: m.function_call.name, input: parseArgs(m.function_call.arguments) });
        }
        messages.push({ role: 'assistant', content });
        break;
      }
      case 'tool':
      case 'function': {
        const id = m.tool_call_id ?? 'function_call';
        const value = typeof m.content === 'string' ? m.content : openAIContent(m.content).map((p) => p.text ?? '').join('');
        messages.push({
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: id, toolName: names.get(id) ?? m.name ?? 'unknown', output: { type: 'text', value } }],
        });
        break;
      }
      default:
        throw new Error(`message role ${JSON.stringify(m.role)} is not supported`);
    }
  }
  const tools = {};
  for (const t of req.tools ?? []) {
    const f = t.function ?? {};
    tools[f.name] = tool({ description: f.description, inputSchema: jsonSchema(f.parameters ?? { type: 'object' }) });
  }
  for (const f of req.functions ?? []) {
    tools[f.name] = tool({ description: f.description, inputSchema: jsonSchema(f.parameters ?? { type: 'object' }) });
  }
  return {
    messages,
    tools,
    settings: {
      maxOutputTokens: req.max_completion_tokens ?? req.max_tokens,
      temperature: req.temperature,
      topP: req.top_p,
      stopSequences: typeof req.stop === 'string' ? [req.stop] : req.stop,
    },
  };
}

function anthropicContent(content, names) {
  if (typeof content === 'string') return [text(content)];
  const out = [];
  for (const b of content ?? []) {
    switch (b.type) {
      case 'text':
        out.push(text(b.text));
        break;
      case 'image':
        if (b.source?.type !== 'base64') throw new Error('a web image URL: the AI SDK would download it; this converter stays offline');
        out.push({ type: 'image', image: b.source.data, mediaType: b.source.media_type });
        break;
      case 'tool_use':
        names.set(b.id, b.name);
        out.push({ type: 'tool-call', toolCallId: b.id, toolName: b.name, input: b.input ?? {} });
        break;
      case 'tool_result': {
        const value = typeof b.content === 'string' ? b.content : (b.content ?? []).map((c) => c.text ?? '').join('');
        out.push({ type: 'tool-result', toolCallId: b.tool_use_id, toolName: names.get(b.tool_use_id) ?? 'unknown', output: b.is_error ? { type: 'error-text', value } : { type: 'text', value } });
        break;
      }
      case 'thinking':
        out.push({ type: 'reasoning', text: b.thinking ?? '', providerOptions: b.signature ? { bedrock: { signature: b.signature } } : undefined });
        break;
      case 'redacted_thinking':
        out.push({ type: 'reasoning', text: '', providerOptions: { bedrock: { redactedData: b.data } } });
        break;
      case 'document':
        if (b.source?.type !== 'base64') throw new Error('document sources other than base64 are not supported');
        out.push({ type: 'file', data: b.source.data, mediaType: b.source.media_type, filename: b.title });
        break;
      default:
        throw new Error(`content block type ${JSON.stringify(b.type)} is not supported`);
    }
  }
  return out;
}

function fromAnthropic(req) {
  const messages = [];
  const names = new Map();
  if (req.system) {
    const s = typeof req.system === 'string' ? req.system : req.system.map((b) => b.text ?? '').join('\n');
    messages.push({ role: 'system', content: s });
  }
  for (const m of req.messages ?? []) {
    const parts = anthropicContent(m.content, names);
    if (m.role === 'user') {
      // Tool results travel in user turns in the Messages API; in the AI
      // SDK they are tool messages.
      const results = parts.filter((p) => p.type === 'tool-result');
      const rest = parts.filter((p) => p.type !== 'tool-result');
      if (results.length) messages.push({ role: 'tool', content: results });
      if (rest.length || !results.length) messages.push({ role: 'user', content: rest });
    } else {
      messages.push({ role: 'assistant', content: parts });
    }
  }
  const tools = {};
  for (const t of req.tools ?? []) {
    tools[t.name] = tool({ description: t.description, inputSchema: jsonSchema(t.input_schema ?? { type: 'object' }) });
  }
  return {
    messages,
    tools,
    settings: { maxOutputTokens: req.max_tokens, temperature: req.temperature, topP: req.top_p, stopSequences: req.stop_sequences },
  };
}

// converseRequest runs the AI SDK and returns the Converse body it sends.
export async function converseRequest(target, history) {
  const { messages, tools, settings } = toModelMessages(history);
  let captured;
  const bedrock = createAmazonBedrock({
    region: target.region || 'us-east-1',
    accessKeyId: 'AKIDCONVERTER',
    secretAccessKey: 'converter-never-sends',
    fetch: async (_url, init) => {
      captured = JSON.parse(init.body);
      const answer = { output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } };
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  const call = { model: bedrock(target.model), messages, maxRetries: 0, allowSystemInMessages: true };
  if (Object.keys(tools).length) call.tools = tools;
  for (const [k, v] of Object.entries(settings)) if (v !== undefined && v !== null) call[k] = v;
  await generateText(call);
  if (!captured) throw new Error('the AI SDK sent no request');
  return captured;
}

async function main() {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let id = '';
    try {
      const msg = JSON.parse(line);
      id = msg.id;
      const request = await converseRequest(msg.target ?? {}, msg.history ?? {});
      process.stdout.write(JSON.stringify({ id, request }) + '\n');
    } catch (err) {
      process.stdout.write(JSON.stringify({ id, error: String(err?.message ?? err).split('\n')[0] }) + '\n');
    }
  }
}

// Run as a program, not imported: this file is the one node was given,
// whatever its path holds (spaces, which the URL escapes) and however it
// was reached (a symlink, which import.meta.url resolves).
function isMain() {
  if (!process.argv[1]) return false;
  try {
    return fileURLToPath(import.meta.url) === realpathSync(process.argv[1]);
  } catch {
    return false;
  }
}

if (isMain()) {
  main();
}
