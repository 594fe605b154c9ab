// Runs the conformance scenarios with the real JavaScript clients against
// the emulators whose URLs CONFORMANCE_ENDPOINTS holds (a JSON object: mode
// -> URL; see conformance/conformance_test.go). Prints one JSON line per
// client and scenario: {"client","scenario","status":"pass"|"fail"|"skip","detail"}.
// CONFORMANCE_CLIENTS (comma-separated) runs only those clients: the Go test
// runs AI SDK 7 (vercel-ai-v7) apart, on Node.js 22.
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelCommand, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import { BedrockClient, ListFoundationModelsCommand, GetInferenceProfileCommand } from "@aws-sdk/client-bedrock";
import * as bedrockV4 from "@ai-sdk/amazon-bedrock";
import * as aiV6 from "ai";
import { ChatBedrockConverse } from "@langchain/aws";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { z } from "zod";
import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";

const endpoints = JSON.parse(process.env.CONFORMANCE_ENDPOINTS || "{}");
const only = process.env.CONFORMANCE_CLIENTS ? process.env.CONFORMANCE_CLIENTS.split(",") : null;
const region = "us-east-1";
const anyKey = { accessKeyId: "test", secretAccessKey: "test" };
const NOVA = "amazon.nova-micro-v1:0";
const CLAUDE = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const CROSS_REGION = "us.amazon.nova-pro-v1:0";
const OPUS = "us.anthropic.claude-opus-4-6-v1";
// gpt-oss-120b takes the flex and priority service tiers from us-east-1;
// Claude does not (the catalog's serviceTiers table, from the Bedrock user
// guide's service tiers page), and is refused with this text.
const GPT_OSS = "openai.gpt-oss-120b-1:0";
const TIER_REFUSED = "The provided service tier is not supported for this model.";

function report(client, scenario, status, detail = "") {
  console.log(JSON.stringify({ client, scenario, status, detail: String(detail).slice(0, 400) }));
}

async function run(client, scenario, fn) {
  if (only && !only.includes(client)) return;
  try {
    await fn();
    report(client, scenario, "pass");
  } catch (e) {
    report(client, scenario, "fail", e && e.stack ? e.stack.split("\n").slice(0, 3).join(" | ") : e);
  }
}

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

// errorName reads the service's error type from any of the clients.
function errorName(e) {
  if (!e) return "";
  if (typeof e.status === "number") return `${e.status} ${e.name} ${e.message}`;
  if (e.name && e.name !== "Error" && e.name !== "AI_APICallError" && e.name !== "AI_RetryError") return e.name;
  const cause = e.lastError || e.cause;
  if (cause && cause !== e) {
    const n = errorName(cause);
    if (n) return n;
  }
  const h = e.responseHeaders && (e.responseHeaders["x-amzn-errortype"] || e.responseHeaders["X-Amzn-Errortype"]);
  if (h) return h.split(":")[0];
  if (e.data && e.data.__type) return e.data.__type;
  const m = /"?(\w+Exception)/.exec(String(e.responseBody || e.message || ""));
  return m ? m[1] : e.name || "";
}

async function expectError(fn, want) {
  let err = null;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  check(err, `want ${want}, got success`);
  const name = errorName(err);
  check(name.toLowerCase().includes(want.toLowerCase()), `want ${want}, got ${name}: ${err.message}`);
}

const user = (text) => ({ role: "user", content: [{ text }] });
// A 1x1 PNG and a short text document, as applications attach them.
const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const PNG = Buffer.from(PNG_B64, "base64");
const DOC_TEXT = "Opening hours: 9 to 17, Monday to Friday.\n";
const DOC = Buffer.from(DOC_TEXT);
const ASK_ATTACHED = "What is in the picture, and when does the office open?";
// A system prompt long enough to be cached by Claude Haiku 4.5, whose
// minimum is 4,096 tokens per cache checkpoint (Bedrock ignores a shorter
// one and reports no cache tokens): 400 sentences of about 13 tokens by
// Claude's count (5,200), 17 by the emulator's four characters a token.
// Different per client: each client's first call writes the cache, its
// second reads it.
const longSystem = (who) => `You are the support assistant of ${who}. ` + "Answer in one short paragraph and name the policy section you used. ".repeat(400);
const STOP = "You wrote";
// A history a trimmed conversation ends up with: it opens with the
// assistant's turn. Bedrock refuses it with a ValidationException.
const BROKEN_START = "A conversation must start with a user message";
const weatherTool = {
  toolSpec: {
    name: "get_weather",
    description: "Weather for a city",
    inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
};

// drainConverseStream reads a ConverseStream as applications do: text
// from its deltas, each toolUse from its contentBlockStart and the
// JSON of its input deltas. It returns the assistant's content blocks,
// the stop reason and the metadata event.
async function drainConverseStream(out) {
  const blocks = [];
  let stop = "", metadata = null;
  for await (const ev of out.stream) {
    if (ev.contentBlockStart && ev.contentBlockStart.start.toolUse) {
      const s = ev.contentBlockStart.start.toolUse;
      blocks[ev.contentBlockStart.contentBlockIndex] = { toolUse: { toolUseId: s.toolUseId, name: s.name, json: "" } };
    }
    if (ev.contentBlockDelta) {
      const i = ev.contentBlockDelta.contentBlockIndex, d = ev.contentBlockDelta.delta;
      if (d.text !== undefined) blocks[i] = { text: ((blocks[i] && blocks[i].text) || "") + d.text };
      if (d.toolUse) blocks[i].toolUse.json += d.toolUse.input;
    }
    if (ev.messageStop) stop = ev.messageStop.stopReason;
    if (ev.metadata) metadata = ev.metadata;
  }
  for (const b of blocks) if (b && b.toolUse) { b.toolUse.input = JSON.parse(b.toolUse.json || "{}"); delete b.toolUse.json; }
  return { content: blocks.filter(Boolean), stop, metadata };
}

// ---- AWS SDK for JavaScript v3: bedrock-runtime and bedrock ----
function runtime(mode, opts = {}) {
  return new BedrockRuntimeClient({ region, endpoint: endpoints[mode], credentials: anyKey, ...opts });
}

async function jsSDK() {
  const c = "js-sdk-v3";
  await run(c, "converse", async () => {
    const out = await runtime("plain").send(new ConverseCommand({ modelId: NOVA, messages: [user("What is the capital of Peru?")] }));
    check(out.output.message.content[0].text.includes("capital of Peru"), JSON.stringify(out.output));
    check(out.stopReason === "end_turn", out.stopReason);
  });
  await run(c, "converse-stream", async () => {
    const out = await runtime("plain").send(new ConverseStreamCommand({ modelId: NOVA, messages: [user("Stream please")] }));
    let text = "", stop = "", deltas = 0;
    for await (const ev of out.stream) {
      if (ev.contentBlockDelta) { text += ev.contentBlockDelta.delta.text ?? ""; deltas++; }
      if (ev.messageStop) stop = ev.messageStop.stopReason;
    }
    check(text.includes("Stream please") && stop === "end_turn" && deltas > 3, `${deltas} deltas, ${stop}: ${text}`);
  });
  await run(c, "tool-round-trip", async () => {
    const client = runtime("plain");
    const messages = [user("Please call get_weather for Lisbon.")];
    const first = await client.send(new ConverseCommand({ modelId: CLAUDE, messages, toolConfig: { tools: [weatherTool] } }));
    check(first.stopReason === "tool_use", first.stopReason);
    const use = first.output.message.content.find((b) => b.toolUse).toolUse;
    check(use.name === "get_weather" && use.input.city !== undefined, JSON.stringify(use));
    messages.push(first.output.message, { role: "user", content: [{ toolResult: { toolUseId: use.toolUseId, content: [{ text: "22 C, sunny" }] } }] });
    const second = await client.send(new ConverseCommand({ modelId: CLAUDE, messages, toolConfig: { tools: [weatherTool] } }));
    check(second.stopReason === "end_turn", second.stopReason);
  });
  await run(c, "reasoning", async () => {
    const client = runtime("plain");
    const fields = { thinking: { type: "enabled", budget_tokens: 1024 } };
    const messages = [user("Why is the sky blue?")];
    const first = await client.send(new ConverseCommand({ modelId: CLAUDE, messages, additionalModelRequestFields: fields }));
    const r = first.output.message.content[0].reasoningContent;
    check(r && r.reasoningText.text && r.reasoningText.signature, JSON.stringify(first.output.message.content));
    messages.push(first.output.message, user("And at sunset?"));
    await client.send(new ConverseCommand({ modelId: CLAUDE, messages, additionalModelRequestFields: fields }));
    const altered = structuredClone(messages);
    altered[1].content[0].reasoningContent.reasoningText.text += " (edited)";
    await expectError(() => client.send(new ConverseCommand({ modelId: CLAUDE, messages: altered, additionalModelRequestFields: fields })), "ValidationException");
  });
  await run(c, "error-validation", () =>
    expectError(() => runtime("plain").send(new ConverseCommand({ modelId: "no.such-model-v1:0", messages: [user("hi")] })), "ValidationException"));
  await run(c, "error-unrecognized-client", () =>
    expectError(() => runtime("strict", { maxAttempts: 1 }).send(new ConverseCommand({ modelId: NOVA, messages: [user("hi")] })), "UnrecognizedClientException"));
  await run(c, "error-access-denied-cross-region", async () => {
    let msg = "";
    await expectError(async () => {
      try {
        await runtime("iam").send(new ConverseCommand({ modelId: CROSS_REGION, messages: [user("hi")] }));
      } catch (e) {
        msg = e.message;
        throw e;
      }
    }, "AccessDeniedException");
    // The profile's first destination outside us-east-1 is the one denied.
    check(/not authorized/.test(msg) && !msg.includes("arn:aws:bedrock:us-east-1:"), msg);
  });
  await run(c, "error-throttling", () =>
    expectError(() => runtime("throttled", { maxAttempts: 1 }).send(new ConverseCommand({ modelId: NOVA, messages: [user("hi")] })), "ThrottlingException"));
  await run(c, "error-service-unavailable", () =>
    expectError(() => runtime("unavailable", { maxAttempts: 1 }).send(new ConverseCommand({ modelId: NOVA, messages: [user("hi")] })), "ServiceUnavailableException"));
  await run(c, "throttling-retry", async () => {
    const out = await runtime("retry").send(new ConverseCommand({ modelId: NOVA, messages: [user("retry me")] }));
    check(out.$metadata.attempts >= 2, `attempts ${out.$metadata.attempts}`);
  });
  await run(c, "mid-stream-exception", async () => {
    const out = await runtime("midstream").send(new ConverseStreamCommand({ modelId: NOVA, messages: [user("hi")] }));
    let events = 0;
    await expectError(async () => {
      for await (const ev of out.stream) events++;
    }, "ModelStreamErrorException");
    check(events >= 1, `${events} events before the exception`);
  });
  await run(c, "converse-stream-tool-use", async () => {
    // The application assembles each toolUse from its contentBlockStart and
    // input deltas, sends the result back, and streams the answer.
    const client = runtime("plain");
    const messages = [user("Please call get_weather for Lisbon.")];
    const first = await drainConverseStream(await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages, toolConfig: { tools: [weatherTool] } })));
    const use = first.content.find((b) => b.toolUse);
    check(first.stop === "tool_use" && use && use.toolUse.name === "get_weather" && typeof use.toolUse.input.city === "string", JSON.stringify(first));
    messages.push({ role: "assistant", content: first.content }, { role: "user", content: [{ toolResult: { toolUseId: use.toolUse.toolUseId, content: [{ text: "22 C, sunny" }] } }] });
    const second = await drainConverseStream(await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages, toolConfig: { tools: [weatherTool] } })));
    check(second.stop === "end_turn" && second.content.some((b) => b.text), JSON.stringify(second));
  });
  await run(c, "image-document", async () => {
    const out = await runtime("plain").send(new ConverseCommand({ modelId: CLAUDE, messages: [{ role: "user", content: [
      { text: ASK_ATTACHED }, { image: { format: "png", source: { bytes: PNG } } }, { document: { format: "txt", name: "opening hours", source: { bytes: DOC } } }] }] }));
    check(out.stopReason === "end_turn" && out.output.message.content[0].text.includes("office open"), JSON.stringify(out.output));
  });
  await run(c, "cache-point", async () => {
    const client = runtime("plain");
    const cmd = () => new ConverseCommand({ modelId: CLAUDE, system: [{ text: longSystem(c) }, { cachePoint: { type: "default" } }], messages: [user("When are you open?")] });
    const first = (await client.send(cmd())).usage, second = (await client.send(cmd())).usage;
    check(first.cacheWriteInputTokens >= 4096 && !first.cacheReadInputTokens && second.cacheReadInputTokens === first.cacheWriteInputTokens && !second.cacheWriteInputTokens,
      JSON.stringify([first, second]));
  });
  await run(c, "stop-sequence", async () => {
    const out = await runtime("plain").send(new ConverseCommand({ modelId: CLAUDE, messages: [user("Say something")], inferenceConfig: { stopSequences: [STOP] },
      additionalModelResponseFieldPaths: ["/stop_sequence"] }));
    const text = out.output.message.content[0].text;
    check(out.stopReason === "stop_sequence" && !text.includes(STOP) && out.additionalModelResponseFields.stop_sequence === STOP, JSON.stringify(out));
  });
  await run(c, "max-tokens", async () => {
    const out = await runtime("plain").send(new ConverseCommand({ modelId: NOVA, messages: [user("Tell me a long story")], inferenceConfig: { maxTokens: 5 } }));
    check(out.stopReason === "max_tokens" && out.usage.outputTokens === 5, JSON.stringify(out));
  });
  await run(c, "structured-output", async () => {
    const schema = { type: "object", properties: { city: { type: "string" }, population: { type: "integer" } }, required: ["city", "population"], additionalProperties: false };
    const out = await runtime("plain").send(new ConverseCommand({ modelId: CLAUDE, messages: [user("The largest city of Peru, as JSON")],
      outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(schema), name: "city" } } } } }));
    const v = JSON.parse(out.output.message.content[0].text);
    check(out.stopReason === "end_turn" && typeof v.city === "string" && Number.isInteger(v.population), JSON.stringify(out.output));
  });
  await run(c, "stream-metadata", async () => {
    const out = await drainConverseStream(await runtime("plain").send(new ConverseStreamCommand({ modelId: NOVA, messages: [user("Stream with usage")] })));
    const u = out.metadata && out.metadata.usage;
    check(u && u.inputTokens > 0 && u.outputTokens > 0 && u.totalTokens === u.inputTokens + u.outputTokens && out.metadata.metrics.latencyMs > 0, JSON.stringify(out.metadata));
  });
  await run(c, "error-broken-history", async () => {
    let err = null;
    try {
      await runtime("plain").send(new ConverseCommand({ modelId: NOVA, messages: [{ role: "assistant", content: [{ text: "Hello!" }] }, user("hi")] }));
    } catch (e) {
      err = e;
    }
    check(err instanceof ValidationException && err.$metadata.httpStatusCode === 400 && err.message.includes(BROKEN_START), `${err && err.name}: ${err && err.message}`);
  });
  await run(c, "service-tier", async () => {
    const out = await runtime("plain").send(new ConverseCommand({ modelId: GPT_OSS, messages: [user("Answer when you can")], serviceTier: { type: "flex" } }));
    check(out.serviceTier && out.serviceTier.type === "flex" && out.output.message.content.length > 0, JSON.stringify(out));
    const s = await drainConverseStream(await runtime("plain").send(new ConverseStreamCommand({ modelId: GPT_OSS, messages: [user("Stream when you can")], serviceTier: { type: "flex" } })));
    check(s.metadata && s.metadata.serviceTier && s.metadata.serviceTier.type === "flex", JSON.stringify(s.metadata));
    let err = null;
    try {
      await runtime("plain").send(new ConverseCommand({ modelId: CLAUDE, messages: [user("hi")], serviceTier: { type: "priority" } }));
    } catch (e) {
      err = e;
    }
    check(err instanceof ValidationException && err.message === TIER_REFUSED, `${err && err.name}: ${err && err.message}`);
    // InvokeModel carries the tier in the X-Amzn-Bedrock-Service-Tier header, both ways.
    const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 50, messages: [{ role: "user", content: "hi" }] });
    const inv = await runtime("plain").send(new InvokeModelCommand({ modelId: CLAUDE, body, contentType: "application/json", serviceTier: "default" }));
    check(inv.serviceTier === "default", `InvokeModel answered serviceTier ${inv.serviceTier}`);
    err = null;
    try {
      await runtime("plain").send(new InvokeModelCommand({ modelId: CLAUDE, body, contentType: "application/json", serviceTier: "priority" }));
    } catch (e) {
      err = e;
    }
    check(err instanceof ValidationException && err.message === TIER_REFUSED, `InvokeModel: ${err && err.name}: ${err && err.message}`);
  });
  await run(c, "bearer-token-tls", async () => {
    // A long-term Bedrock API key over HTTPS (the emulator's self-signed
    // certificate is trusted through NODE_EXTRA_CA_CERTS).
    const key = "ABSK" + Buffer.from("BedrockAPIKey-conf-at-111122223333:secret").toString("base64");
    const client = new BedrockRuntimeClient({ region, endpoint: endpoints.tls, token: { token: key }, authSchemePreference: ["httpBearerAuth"] });
    const out = await client.send(new ConverseCommand({ modelId: NOVA, messages: [user("over TLS")] }));
    check(out.stopReason === "end_turn", out.stopReason);
  });
  await run("js-sdk-v3-control", "control-plane", async () => {
    const ctl = new BedrockClient({ region, endpoint: endpoints.plain, credentials: anyKey });
    const list = await ctl.send(new ListFoundationModelsCommand({}));
    check(list.modelSummaries.length > 5, `${list.modelSummaries.length} models`);
    const p = await ctl.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: CROSS_REGION }));
    check(p.models.length >= 2, JSON.stringify(p.models));
  });
}

// ---- Vercel AI SDK (ai + @ai-sdk/amazon-bedrock) ----
// One runner for AI SDK 6 (ai 6 with @ai-sdk/amazon-bedrock 4) and AI SDK 7
// (ai 7 with @ai-sdk/amazon-bedrock 5, installed under npm aliases): every
// call below has the same name and shape in both, but for one. AI SDK 7
// refuses a system message in messages ("Use the instructions option
// instead"): with instructions set, the cached system prompt goes there,
// as a system message that keeps its providerOptions; AI SDK 6 takes it in
// messages, as applications written for it send it.
async function vercelAI(c, ai, provider, { instructions = false } = {}) {
  const { generateText, generateObject, streamText, tool, stepCountIs, APICallError } = ai;
  const vercel = (mode, fetch) => provider.createAmazonBedrock({ region, baseURL: endpoints[mode], accessKeyId: "test", secretAccessKey: "test", fetch });
  await run(c, "converse", async () => {
    const r = await generateText({ model: vercel("plain")(NOVA), prompt: "What is the capital of Peru?" });
    check(r.text.includes("capital of Peru") && r.finishReason === "stop", `${r.finishReason}: ${r.text}`);
  });
  await run(c, "converse-stream", async () => {
    const r = streamText({ model: vercel("plain")(NOVA), prompt: "Stream please" });
    let text = "";
    for await (const part of r.textStream) text += part;
    check(text.includes("Stream please"), text);
  });
  await run(c, "tool-round-trip", async () => {
    let called = 0;
    const r = await generateText({
      model: vercel("plain")(CLAUDE),
      prompt: "Please call get_weather for Lisbon.",
      tools: { get_weather: tool({ description: "Weather for a city", inputSchema: z.object({ city: z.string() }), execute: async () => { called++; return "22 C"; } }) },
      stopWhen: stepCountIs(3),
    });
    check(called === 1 && r.steps.length === 2 && r.finishReason === "stop", `${called} calls, ${r.steps.length} steps, ${r.finishReason}`);
  });
  await run(c, "reasoning", async () => {
    const r = await generateText({ model: vercel("plain")(CLAUDE), prompt: "Why is the sky blue?",
      providerOptions: { bedrock: { reasoningConfig: { type: "enabled", budgetTokens: 1024 } } } });
    check(r.reasoningText && r.reasoningText.length > 0, JSON.stringify(r.reasoning));
  });
  await run(c, "error-validation", () => expectError(() => generateText({ model: vercel("plain")("no.such-model-v1:0"), prompt: "hi", maxRetries: 0 }), "ValidationException"));
  await run(c, "error-unrecognized-client", () => expectError(() => generateText({ model: vercel("strict")(NOVA), prompt: "hi", maxRetries: 0 }), "UnrecognizedClientException"));
  await run(c, "error-access-denied-cross-region", () => expectError(() => generateText({ model: vercel("iam")(CROSS_REGION), prompt: "hi", maxRetries: 0 }), "AccessDeniedException"));
  await run(c, "error-throttling", () => expectError(() => generateText({ model: vercel("throttled")(NOVA), prompt: "hi", maxRetries: 0 }), "ThrottlingException"));
  await run(c, "error-service-unavailable", () => expectError(() => generateText({ model: vercel("unavailable")(NOVA), prompt: "hi", maxRetries: 0 }), "ServiceUnavailableException"));
  await run(c, "throttling-retry", async () => {
    // The emulator throttles the first arrival of each distinct request:
    // the prompt names the client so that no other client's call has used
    // it up, and the provider's fetch counts the attempts.
    let attempts = 0;
    const counted = (url, init) => { attempts++; return fetch(url, init); };
    const r = await generateText({ model: vercel("retry", counted)(NOVA), prompt: `retry me (${c})` });
    check(r.text.includes("retry me") && attempts >= 2, `${attempts} attempts: ${r.text}`);
  });
  await run(c, "mid-stream-exception", async () => {
    const r = streamText({ model: vercel("midstream")(NOVA), prompt: "hi", maxRetries: 0 });
    let sawError = null;
    for await (const part of r.fullStream) if (part.type === "error") sawError = part.error;
    check(sawError, "no error part");
    // The AI SDK passes the exception frame's message on as an error part.
    const text = JSON.stringify(sawError) + String(sawError && sawError.message);
    check(/error occurred while streaming the response/i.test(text), text);
  });
  await run(c, "converse-stream-tool-use", async () => {
    let called = null, inputDeltas = 0;
    const r = streamText({
      model: vercel("plain")(CLAUDE),
      prompt: "Please call get_weather for Lisbon.",
      tools: { get_weather: tool({ description: "Weather for a city", inputSchema: z.object({ city: z.string() }), execute: async (input) => { called = input; return "22 C"; } }) },
      stopWhen: stepCountIs(3),
    });
    for await (const part of r.fullStream) if (part.type === "tool-input-delta") inputDeltas++;
    const steps = await r.steps;
    check(called && typeof called.city === "string" && inputDeltas > 1 && steps.length === 2 && (await r.finishReason) === "stop",
      `${JSON.stringify(called)}, ${inputDeltas} input deltas, ${steps.length} steps, ${await r.finishReason}`);
  });
  await run(c, "image-document", async () => {
    const r = await generateText({ model: vercel("plain")(CLAUDE), messages: [{ role: "user", content: [
      { type: "text", text: ASK_ATTACHED }, { type: "image", image: PNG, mediaType: "image/png" },
      { type: "file", data: DOC, mediaType: "text/plain", filename: "opening hours.txt" }] }] });
    check(r.finishReason === "stop" && r.text.includes("office open"), `${r.finishReason}: ${r.text}`);
  });
  await run(c, "cache-point", async () => {
    const system = { role: "system", content: longSystem(c), providerOptions: { bedrock: { cachePoint: { type: "default" } } } };
    const ask = { role: "user", content: "When are you open?" };
    const call = () => generateText({ model: vercel("plain")(CLAUDE), ...(instructions ? { instructions: system, messages: [ask] } : { messages: [system, ask] }) });
    const first = await call(), second = await call();
    const w = first.usage.inputTokenDetails, r = second.usage.inputTokenDetails;
    check(w.cacheWriteTokens >= 4096 && !w.cacheReadTokens && r.cacheReadTokens === w.cacheWriteTokens && !r.cacheWriteTokens &&
      first.providerMetadata.bedrock.usage.cacheWriteInputTokens === w.cacheWriteTokens, JSON.stringify([first.usage, second.usage, first.providerMetadata]));
  });
  await run(c, "stop-sequence", async () => {
    // For Anthropic models the provider asks for /delta/stop_sequence and
    // reads the sequence met from it, generating and streaming.
    const r = await generateText({ model: vercel("plain")(CLAUDE), prompt: "Say something", stopSequences: [STOP] });
    check(r.finishReason === "stop" && !r.text.includes(STOP) && r.providerMetadata.bedrock.stopSequence === STOP, `${r.finishReason}: ${r.text} ${JSON.stringify(r.providerMetadata)}`);
    const s = streamText({ model: vercel("plain")(CLAUDE), prompt: "Say something", stopSequences: [STOP] });
    let text = "";
    for await (const part of s.textStream) text += part;
    const meta = await s.providerMetadata;
    check(!text.includes(STOP) && meta.bedrock.stopSequence === STOP, `${text} ${JSON.stringify(meta)}`);
  });
  await run(c, "max-tokens", async () => {
    const r = await generateText({ model: vercel("plain")(NOVA), prompt: "Tell me a long story", maxOutputTokens: 5 });
    check(r.finishReason === "length" && r.usage.outputTokens === 5, `${r.finishReason}: ${JSON.stringify(r.usage)}`);
  });
  await run(c, "structured-output", async () => {
    // Claude Opus 4.6: native structured output (output_config.format in
    // additionalModelRequestFields); Claude Haiku 4.5 and Nova: a "json"
    // tool the request forces.
    const schema = z.object({ city: z.string(), population: z.number().int() });
    for (const model of [OPUS, CLAUDE, NOVA]) {
      const r = await generateObject({ model: vercel("plain")(model), schema, prompt: "The largest city of Peru" });
      check(typeof r.object.city === "string" && Number.isInteger(r.object.population) && r.finishReason === "stop", `${model}: ${r.finishReason} ${JSON.stringify(r.object)}`);
    }
  });
  await run(c, "stream-metadata", async () => {
    // The AI SDK surfaces the metadata event's usage; it drops metrics.latencyMs.
    const r = streamText({ model: vercel("plain")(NOVA), prompt: "Stream with usage" });
    for await (const _ of r.textStream) { /* drain */ }
    const u = await r.usage;
    check(u.inputTokens > 0 && u.outputTokens > 0 && u.totalTokens === u.inputTokens + u.outputTokens, JSON.stringify(u));
  });
  await run(c, "error-broken-history", async () => {
    let err = null;
    try {
      await generateText({ model: vercel("plain")(NOVA), maxRetries: 0, messages: [{ role: "assistant", content: "Hello!" }, { role: "user", content: "hi" }] });
    } catch (e) {
      err = e;
    }
    check(APICallError.isInstance(err) && err.statusCode === 400 && !err.isRetryable && err.message.includes(BROKEN_START), `${err && err.name} ${err && err.statusCode}: ${err && err.message}`);
  });
  await run(c, "service-tier", async () => {
    // The provider's serviceTier option becomes Converse's serviceTier;
    // the answer's is in providerMetadata.bedrock, generating and streaming.
    const flex = { bedrock: { serviceTier: "flex" } };
    const r = await generateText({ model: vercel("plain")(GPT_OSS), prompt: "Answer when you can", providerOptions: flex });
    check(r.providerMetadata && r.providerMetadata.bedrock.serviceTier && r.providerMetadata.bedrock.serviceTier.type === "flex", JSON.stringify(r.providerMetadata));
    const s = streamText({ model: vercel("plain")(GPT_OSS), prompt: "Stream when you can", providerOptions: flex });
    for await (const _ of s.textStream) { /* drain */ }
    const meta = await s.providerMetadata;
    check(meta && meta.bedrock.serviceTier && meta.bedrock.serviceTier.type === "flex", JSON.stringify(meta));
    let err = null;
    try {
      await generateText({ model: vercel("plain")(CLAUDE), prompt: "hi", maxRetries: 0, providerOptions: { bedrock: { serviceTier: "priority" } } });
    } catch (e) {
      err = e;
    }
    check(APICallError.isInstance(err) && err.statusCode === 400 && err.message.includes(TIER_REFUSED), `${err && err.name} ${err && err.statusCode}: ${err && err.message}`);
  });
}

// ---- LangChain JS (@langchain/aws ChatBedrockConverse) ----
function langchain(mode, model, extra = {}) {
  const client = new BedrockRuntimeClient({ region, endpoint: endpoints[mode], credentials: anyKey, maxAttempts: extra.maxAttempts ?? 3 });
  return new ChatBedrockConverse({ model, region, client, credentials: anyKey, ...extra.fields });
}

async function langchainJS() {
  const c = "langchain-js";
  await run(c, "converse", async () => {
    const r = await langchain("plain", NOVA).invoke([new HumanMessage("What is the capital of Peru?")]);
    check(String(r.content).includes("capital of Peru"), JSON.stringify(r.content));
  });
  await run(c, "converse-stream", async () => {
    let text = "";
    for await (const chunk of await langchain("plain", NOVA).stream([new HumanMessage("Stream please")])) text += typeof chunk.content === "string" ? chunk.content : "";
    check(text.includes("Stream please"), text);
  });
  await run(c, "tool-round-trip", async () => {
    const model = langchain("plain", CLAUDE).bindTools([{ name: "get_weather", description: "Weather for a city", schema: z.object({ city: z.string() }) }]);
    const msgs = [new HumanMessage("Please call get_weather for Lisbon.")];
    const first = await model.invoke(msgs);
    check(first.tool_calls.length === 1 && first.tool_calls[0].name === "get_weather", JSON.stringify(first.tool_calls));
    msgs.push(first, new ToolMessage({ tool_call_id: first.tool_calls[0].id, content: "22 C" }));
    const second = await model.invoke(msgs);
    check(second.tool_calls.length === 0, JSON.stringify(second.tool_calls));
  });
  await run(c, "reasoning", async () => {
    const r = await langchain("plain", CLAUDE, { fields: { additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } } } }).invoke([new HumanMessage("Why is the sky blue?")]);
    const blocks = Array.isArray(r.content) ? r.content : [];
    check(blocks.some((b) => b.type === "reasoning_content" || b.type === "reasoning" || b.type === "thinking"), JSON.stringify(r.content));
  });
  await run(c, "error-validation", () => expectError(() => langchain("plain", "no.such-model-v1:0").invoke([new HumanMessage("hi")]), "ValidationException"));
  await run(c, "error-unrecognized-client", () => expectError(() => langchain("strict", NOVA, { maxAttempts: 1 }).invoke([new HumanMessage("hi")]), "UnrecognizedClientException"));
  await run(c, "error-access-denied-cross-region", () => expectError(() => langchain("iam", CROSS_REGION).invoke([new HumanMessage("hi")]), "AccessDeniedException"));
  await run(c, "error-throttling", () => expectError(() => langchain("throttled", NOVA, { maxAttempts: 1 }).invoke([new HumanMessage("hi")]), "ThrottlingException"));
  await run(c, "error-service-unavailable", () => expectError(() => langchain("unavailable", NOVA, { maxAttempts: 1 }).invoke([new HumanMessage("hi")]), "ServiceUnavailableException"));
  await run(c, "throttling-retry", async () => {
    // The prompt names the client, so that no other client's call has used
    // up the emulator's one throttle of this request; a middleware in the
    // deserialize step, which runs once an attempt, counts the attempts.
    let attempts = 0;
    const model = langchain("retry", NOVA);
    model.client.middlewareStack.add((next) => async (args) => { attempts++; return next(args); }, { step: "deserialize", name: "countAttempts" });
    const r = await model.invoke([new HumanMessage(`retry me (${c})`)]);
    check(String(r.content).includes("retry me") && attempts >= 2, `${attempts} attempts: ${JSON.stringify(r.content)}`);
  });
  await run(c, "mid-stream-exception", () =>
    expectError(async () => {
      for await (const _ of await langchain("midstream", NOVA, { maxAttempts: 1 }).stream([new HumanMessage("hi")])) { /* drain */ }
    }, "ModelStreamErrorException"));
  await run(c, "converse-stream-tool-use", async () => {
    // LangChain merges the tool_call_chunks of the input deltas into tool_calls.
    const model = langchain("plain", CLAUDE).bindTools([{ name: "get_weather", description: "Weather for a city", schema: z.object({ city: z.string() }) }]);
    const msgs = [new HumanMessage("Please call get_weather for Lisbon.")];
    let first, chunks = 0;
    for await (const chunk of await model.stream(msgs)) {
      if (chunk.tool_call_chunks && chunk.tool_call_chunks.length) chunks++;
      first = first ? first.concat(chunk) : chunk;
    }
    const call = first.tool_calls[0];
    check(first.tool_calls.length === 1 && call.name === "get_weather" && typeof call.args.city === "string" && chunks > 1, `${chunks} chunks: ${JSON.stringify(first.tool_calls)}`);
    msgs.push(first, new ToolMessage({ tool_call_id: call.id, content: "22 C" }));
    let second;
    for await (const chunk of await model.stream(msgs)) second = second ? second.concat(chunk) : chunk;
    check(second.tool_calls.length === 0 && second.response_metadata.messageStop.stopReason === "end_turn", JSON.stringify(second.response_metadata));
  });
  await run(c, "image-document", async () => {
    const r = await langchain("plain", CLAUDE).invoke([new HumanMessage({ content: [
      { type: "text", text: ASK_ATTACHED },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_B64}` } },
      { type: "file", source_type: "base64", mime_type: "text/plain", data: DOC.toString("base64"), metadata: { name: "opening hours" } }] })]);
    check(r.response_metadata.stopReason === "end_turn" && String(r.content).includes("office open"), JSON.stringify(r.content));
  });
  await run(c, "cache-point", async () => {
    const model = langchain("plain", CLAUDE);
    const msgs = [new SystemMessage({ content: [{ type: "text", text: longSystem(c) }, { cachePoint: { type: "default" } }] }), new HumanMessage("When are you open?")];
    const first = (await model.invoke(msgs)).usage_metadata, second = (await model.invoke(msgs)).usage_metadata;
    const w = first.input_token_details, r = second.input_token_details;
    check(w.cache_creation >= 4096 && !w.cache_read && r.cache_read === w.cache_creation && !r.cache_creation, JSON.stringify([first, second]));
  });
  await run(c, "stop-sequence", async () => {
    const r = await langchain("plain", CLAUDE).invoke([new HumanMessage("Say something")], { stop: [STOP] });
    check(r.response_metadata.stopReason === "stop_sequence" && !String(r.content).includes(STOP), JSON.stringify(r.response_metadata));
  });
  await run(c, "max-tokens", async () => {
    const r = await langchain("plain", NOVA, { fields: { maxTokens: 5 } }).invoke([new HumanMessage("Tell me a long story")]);
    check(r.response_metadata.stopReason === "max_tokens" && r.usage_metadata.output_tokens === 5, JSON.stringify([r.response_metadata, r.usage_metadata]));
  });
  await run(c, "structured-output", async () => {
    // withStructuredOutput binds the schema as a tool and, on Claude,
    // forces it with toolChoice tool. (On Nova, which it sends no
    // toolChoice for, the emulator calls a tool only when the prompt names it.)
    const r = await langchain("plain", CLAUDE).withStructuredOutput(z.object({ city: z.string(), population: z.number().int() }), { name: "city_info" })
      .invoke([new HumanMessage("The largest city of Peru")]);
    check(typeof r.city === "string" && Number.isInteger(r.population), JSON.stringify(r));
  });
  await run(c, "stream-metadata", async () => {
    let last;
    for await (const chunk of await langchain("plain", NOVA).stream([new HumanMessage("Stream with usage")])) last = last ? last.concat(chunk) : chunk;
    const u = last.usage_metadata, m = last.response_metadata.metadata;
    check(u && u.input_tokens > 0 && u.output_tokens > 0 && u.total_tokens === u.input_tokens + u.output_tokens && m && m.metrics.latencyMs > 0, JSON.stringify([u, last.response_metadata]));
  });
  await run(c, "error-broken-history", async () => {
    let err = null;
    try {
      await langchain("plain", NOVA).invoke([new AIMessage("Hello!"), new HumanMessage("hi")]);
    } catch (e) {
      err = e;
    }
    // LangChain rethrows the SDK's own error.
    check(err instanceof ValidationException && err.$metadata.httpStatusCode === 400 && err.message.includes(BROKEN_START), `${err && err.name}: ${err && err.message}`);
  });
  await run(c, "service-tier", async () => {
    // ChatBedrockConverse's serviceTier field (or call option) becomes
    // Converse's serviceTier; the answer's is in response_metadata, and a
    // stream's in its metadata event.
    const r = await langchain("plain", GPT_OSS, { fields: { serviceTier: "flex" } }).invoke([new HumanMessage("Answer when you can")]);
    check(r.response_metadata.serviceTier && r.response_metadata.serviceTier.type === "flex", JSON.stringify(r.response_metadata));
    let last;
    for await (const chunk of await langchain("plain", GPT_OSS).stream([new HumanMessage("Stream when you can")], { serviceTier: "flex" })) last = last ? last.concat(chunk) : chunk;
    const m = last.response_metadata.metadata;
    check(m && m.serviceTier && m.serviceTier.type === "flex", JSON.stringify(last.response_metadata));
    let err = null;
    try {
      await langchain("plain", CLAUDE, { fields: { serviceTier: "priority" } }).invoke([new HumanMessage("hi")]);
    } catch (e) {
      err = e;
    }
    check(err instanceof ValidationException && err.message === TIER_REFUSED, `${err && err.name}: ${err && err.message}`);
  });
}

// ---- Anthropic's Bedrock client (@anthropic-ai/bedrock-sdk): InvokeModel ----
function anthropic(mode, maxRetries = 2, fetch = undefined) {
  return new AnthropicBedrock({ awsRegion: region, awsAccessKey: "test", awsSecretKey: "test", baseURL: endpoints[mode], maxRetries, fetch });
}

async function anthropicBedrock() {
  const c = "anthropic-bedrock";
  await run(c, "invoke", async () => {
    const m = await anthropic("plain").messages.create({ model: CLAUDE, max_tokens: 200, messages: [{ role: "user", content: "What is the capital of Peru?" }] });
    check(m.type === "message" && m.stop_reason === "end_turn" && m.content[0].text.includes("capital of Peru"), JSON.stringify(m));
  });
  await run(c, "invoke-stream", async () => {
    const stream = anthropic("plain").messages.stream({ model: CLAUDE, max_tokens: 200, messages: [{ role: "user", content: "Stream please" }] });
    let text = "";
    stream.on("text", (t) => { text += t; });
    const final = await stream.finalMessage();
    check(text.includes("Stream please") && final.stop_reason === "end_turn", `${final.stop_reason}: ${text}`);
  });
  await run(c, "tool-round-trip", async () => {
    const client = anthropic("plain");
    const tools = [{ name: "get_weather", description: "Weather for a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
    const messages = [{ role: "user", content: "Please call get_weather for Lisbon." }];
    const first = await client.messages.create({ model: CLAUDE, max_tokens: 300, tools, messages });
    const use = first.content.find((b) => b.type === "tool_use");
    check(first.stop_reason === "tool_use" && use && use.name === "get_weather", JSON.stringify(first.content));
    messages.push({ role: "assistant", content: first.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "22 C" }] });
    const second = await client.messages.create({ model: CLAUDE, max_tokens: 300, tools, messages });
    check(second.stop_reason === "end_turn", second.stop_reason);
  });
  await run(c, "reasoning", async () => {
    const client = anthropic("plain");
    const messages = [{ role: "user", content: "Why is the sky blue?" }];
    const thinking = { type: "enabled", budget_tokens: 1024 };
    const first = await client.messages.create({ model: CLAUDE, max_tokens: 2048, thinking, messages });
    check(first.content[0].type === "thinking" && first.content[0].signature, JSON.stringify(first.content));
    messages.push({ role: "assistant", content: first.content }, { role: "user", content: "And at sunset?" });
    await client.messages.create({ model: CLAUDE, max_tokens: 2048, thinking, messages });
    const altered = structuredClone(messages);
    altered[1].content[0].thinking += " (edited)";
    await expectError(() => client.messages.create({ model: CLAUDE, max_tokens: 2048, thinking, messages: altered }), "400");
  });
  await run(c, "error-validation", () =>
    expectError(() => anthropic("plain", 0).messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "" }] }] }), "400"));
  await run(c, "error-throttling", () =>
    expectError(() => anthropic("throttled", 0).messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: "hi" }] }), "429"));
  await run(c, "throttling-retry", async () => {
    // The client's fetch counts the attempts; the prompt names the client.
    let attempts = 0;
    const counted = (url, init) => { attempts++; return fetch(url, init); };
    const m = await anthropic("retry", 2, counted).messages.create({ model: CLAUDE, max_tokens: 50, messages: [{ role: "user", content: `retry me (${c})` }] });
    check(m.content[0].text.includes("retry me") && attempts >= 2, `${attempts} attempts: ${JSON.stringify(m.content)}`);
  });
  await run(c, "converse-stream-tool-use", async () => {
    // InvokeModelWithResponseStream: the client assembles the tool_use
    // input from its input_json_delta events.
    const client = anthropic("plain");
    const tools = [{ name: "get_weather", description: "Weather for a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
    const messages = [{ role: "user", content: "Please call get_weather for Lisbon." }];
    const stream = client.messages.stream({ model: CLAUDE, max_tokens: 300, tools, messages });
    let inputDeltas = 0;
    stream.on("inputJson", () => { inputDeltas++; });
    const first = await stream.finalMessage();
    const use = first.content.find((b) => b.type === "tool_use");
    check(first.stop_reason === "tool_use" && use && typeof use.input.city === "string" && inputDeltas > 1, `${inputDeltas} deltas: ${JSON.stringify(first.content)}`);
    messages.push({ role: "assistant", content: first.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "22 C" }] });
    const second = await client.messages.stream({ model: CLAUDE, max_tokens: 300, tools, messages }).finalMessage();
    check(second.stop_reason === "end_turn" && second.content[0].type === "text", JSON.stringify(second));
  });
  await run(c, "image-document", async () => {
    const m = await anthropic("plain").messages.create({ model: CLAUDE, max_tokens: 200, messages: [{ role: "user", content: [
      { type: "text", text: ASK_ATTACHED },
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_B64 } },
      { type: "document", source: { type: "text", media_type: "text/plain", data: DOC_TEXT }, title: "opening hours" }] }] });
    check(m.stop_reason === "end_turn" && m.content[0].text.includes("office open"), JSON.stringify(m));
  });
  await run(c, "cache-point", async () => {
    const client = anthropic("plain");
    const call = () => client.messages.create({ model: CLAUDE, max_tokens: 200, system: [{ type: "text", text: longSystem(c), cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "When are you open?" }] });
    const first = (await call()).usage, second = (await call()).usage;
    check(first.cache_creation_input_tokens >= 4096 && !first.cache_read_input_tokens && second.cache_read_input_tokens === first.cache_creation_input_tokens &&
      !second.cache_creation_input_tokens, JSON.stringify([first, second]));
  });
  await run(c, "stop-sequence", async () => {
    const client = anthropic("plain");
    const req = { model: CLAUDE, max_tokens: 200, stop_sequences: [STOP], messages: [{ role: "user", content: "Say something" }] };
    const m = await client.messages.create(req);
    check(m.stop_reason === "stop_sequence" && m.stop_sequence === STOP && !m.content[0].text.includes(STOP), JSON.stringify(m));
    const streamed = await client.messages.stream(req).finalMessage();
    check(streamed.stop_reason === "stop_sequence" && streamed.stop_sequence === STOP, JSON.stringify(streamed));
  });
  await run(c, "max-tokens", async () => {
    const m = await anthropic("plain").messages.create({ model: CLAUDE, max_tokens: 5, messages: [{ role: "user", content: "Tell me a long story" }] });
    check(m.stop_reason === "max_tokens" && m.usage.output_tokens === 5, JSON.stringify(m));
  });
  await run(c, "structured-output", async () => {
    // output_config.format, InvokeModel's structured outputs (what
    // messages.parse sends for a zodOutputFormat).
    const schema = { type: "object", properties: { city: { type: "string" }, population: { type: "integer" } }, required: ["city", "population"], additionalProperties: false };
    const m = await anthropic("plain").messages.create({ model: CLAUDE, max_tokens: 200, messages: [{ role: "user", content: "The largest city of Peru" }],
      output_config: { format: { type: "json_schema", schema } } });
    const v = JSON.parse(m.content[0].text);
    check(m.stop_reason === "end_turn" && typeof v.city === "string" && Number.isInteger(v.population), JSON.stringify(m));
  });
  await run(c, "stream-metadata", async () => {
    // Usage from message_start and message_delta; Bedrock's invocation
    // metrics ride on the message_stop event.
    const stream = anthropic("plain").messages.stream({ model: CLAUDE, max_tokens: 200, messages: [{ role: "user", content: "Stream with usage" }] });
    let metrics = null;
    stream.on("streamEvent", (ev) => { if (ev.type === "message_stop") metrics = ev["amazon-bedrock-invocationMetrics"]; });
    const u = (await stream.finalMessage()).usage;
    check(u.input_tokens > 0 && u.output_tokens > 1 && metrics && metrics.outputTokenCount === u.output_tokens && metrics.invocationLatency > 0, JSON.stringify([u, metrics]));
  });
  await run(c, "error-broken-history", async () => {
    let err = null;
    try {
      await anthropic("plain", 0).messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: "assistant", content: "Hello!" }, { role: "user", content: "hi" }] });
    } catch (e) {
      err = e;
    }
    check(err instanceof AnthropicBedrock.BadRequestError && err.status === 400 && /first message/.test(err.message), `${err && err.name} ${err && err.status}: ${err && err.message}`);
  });
}

await jsSDK();
await vercelAI("vercel-ai", aiV6, bedrockV4);
// AI SDK 7 is loaded only where it runs: it declares Node.js 22 or later,
// and the other clients run on the machine's Node.js.
if (!only || only.includes("vercel-ai-v7")) {
  await vercelAI("vercel-ai-v7", await import("ai-v7"), await import("@ai-sdk/amazon-bedrock-v5"), { instructions: true });
}
await langchainJS();
await anthropicBedrock();
