// Runs the conformance scenarios with the real JavaScript clients against
// the emulators whose URLs CONFORMANCE_ENDPOINTS holds (a JSON object: mode
// -> URL; see conformance/conformance_test.go). Prints one JSON line per
// client and scenario: {"client","scenario","status":"pass"|"fail"|"skip","detail"}.
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { BedrockClient, ListFoundationModelsCommand, GetInferenceProfileCommand } from "@aws-sdk/client-bedrock";
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { generateText, streamText, tool, stepCountIs, APICallError } from "ai";
import { ChatBedrockConverse } from "@langchain/aws";
import { HumanMessage, ToolMessage } from "@langchain/core/messages";
import { z } from "zod";
import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";

const endpoints = JSON.parse(process.env.CONFORMANCE_ENDPOINTS || "{}");
const only = process.env.CONFORMANCE_CLIENTS ? process.env.CONFORMANCE_CLIENTS.split(",") : null;
const region = "us-east-1";
const anyKey = { accessKeyId: "test", secretAccessKey: "test" };
const NOVA = "amazon.nova-micro-v1:0";
const CLAUDE = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const CROSS_REGION = "us.amazon.nova-pro-v1:0";

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
const weatherTool = {
  toolSpec: {
    name: "get_weather",
    description: "Weather for a city",
    inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
};

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
function vercel(mode) {
  return createAmazonBedrock({ region, baseURL: endpoints[mode], accessKeyId: "test", secretAccessKey: "test" });
}

async function vercelAI() {
  const c = "vercel-ai";
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
    const r = await generateText({ model: vercel("retry")(NOVA), prompt: "retry me" });
    check(r.text.includes("retry me"), r.text);
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
    const r = await langchain("retry", NOVA).invoke([new HumanMessage("retry me")]);
    check(String(r.content).includes("retry me"), JSON.stringify(r.content));
  });
  await run(c, "mid-stream-exception", () =>
    expectError(async () => {
      for await (const _ of await langchain("midstream", NOVA, { maxAttempts: 1 }).stream([new HumanMessage("hi")])) { /* drain */ }
    }, "ModelStreamErrorException"));
}

// ---- Anthropic's Bedrock client (@anthropic-ai/bedrock-sdk): InvokeModel ----
function anthropic(mode, maxRetries = 2) {
  return new AnthropicBedrock({ awsRegion: region, awsAccessKey: "test", awsSecretKey: "test", baseURL: endpoints[mode], maxRetries });
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
    const m = await anthropic("retry").messages.create({ model: CLAUDE, max_tokens: 50, messages: [{ role: "user", content: "retry me" }] });
    check(m.content[0].text.includes("retry me"), JSON.stringify(m.content));
  });
}

await jsSDK();
await vercelAI();
await langchainJS();
await anthropicBedrock();
