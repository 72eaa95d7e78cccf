// Language models Parley can ask for a draft or a summary: Workers AI through the `AI` binding, or
// any OpenAI-compatible chat-completions endpoint. Both are one call each, made directly: the
// binding is the platform's own API and the endpoint one POST, so no SDK rides in the bundle.
import type { Env } from "../env";
import type { Settings } from "./settings";

export type ChatMessage = { role: "system" | "user"; content: string };
type Ai = Settings["ai"];

/** A model that has not answered by then is given up on, and the built-in assistant answers instead. */
export const MODEL_TIMEOUT_MS = 10_000;
/** Drafts and summaries are a few paragraphs at most. */
export const MAX_OUTPUT_TOKENS = 500;
/** Workers AI's model when the setting names none of its catalogue. */
export const DEFAULT_WORKERS_AI_MODEL = "@cf/meta/llama-3.1-8b-instruct";

/** Why a model gave no text: shown beside the built-in assistant's answer. */
export class ModelFailed extends Error {}

/** The model's text for the messages, or ModelFailed (not configured, refused, timed out, empty). */
export async function complete(env: Env, ai: Ai, messages: ChatMessage[], timeoutMs = MODEL_TIMEOUT_MS): Promise<string> {
  const text = ai.provider === "workers-ai" ? await workersAi(env, ai, messages, timeoutMs) : ai.provider === "openai" ? await openAi(ai, messages, timeoutMs) : null;
  const trimmed = text?.trim();
  if (!trimmed) throw new ModelFailed("The model answered with no text.");
  return trimmed;
}

async function workersAi(env: Env, ai: Ai, messages: ChatMessage[], timeoutMs: number): Promise<string | null> {
  if (!env.AI) throw new ModelFailed("Workers AI is not bound to this deployment (the AI binding).");
  const model = /^@(cf|hf)\//.test(ai.model) ? ai.model : DEFAULT_WORKERS_AI_MODEL;
  const run = env.AI.run(model as keyof AiModels, { messages, max_tokens: MAX_OUTPUT_TOKENS } as never) as Promise<{ response?: unknown }>;
  const result = await withinTime(run, timeoutMs).catch((error: unknown) => {
    if (error instanceof ModelFailed) throw error;
    // Local development declares the binding but has no model behind it.
    if (/run remotely/i.test(messageOf(error))) throw new ModelFailed("Workers AI is not available here (local development has no model).");
    throw new ModelFailed(`Workers AI refused: ${messageOf(error)}`);
  });
  return typeof result?.response === "string" ? result.response : null;
}

async function openAi(ai: Ai, messages: ChatMessage[], timeoutMs: number): Promise<string | null> {
  if (!ai.apiKey) throw new ModelFailed("No API key is set for the OpenAI-compatible endpoint.");
  const response = await fetch(`${ai.apiBaseUrl.replace(/\/+$/, "")}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${ai.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: ai.model, messages, max_tokens: MAX_OUTPUT_TOKENS, temperature: 0.3 }),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    throw new ModelFailed(isTimeout(error) ? `The endpoint did not answer within ${timeoutMs / 1000} s.` : `The endpoint could not be reached: ${messageOf(error)}`);
  });
  if (!response.ok) throw new ModelFailed(`The endpoint answered ${response.status}: ${(await response.text().catch(() => "")).slice(0, 200)}`);
  const body = (await response.json().catch(() => null)) as { choices?: { message?: { content?: unknown } }[] } | null;
  const content = body?.choices?.[0]?.message?.content;
  return typeof content === "string" ? content : null;
}

function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ModelFailed(`The model did not answer within ${ms / 1000} s.`)), ms)));
  return Promise.race([work, late]).finally(() => timer !== null && clearTimeout(timer));
}

const isTimeout = (error: unknown) => error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 200);
