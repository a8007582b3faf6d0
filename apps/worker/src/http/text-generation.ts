import { type ChoicePlan, chooseTool, type OutputFormat, planChoice, type ToolChoice } from '../sim/completion-plan.js';
import { countChatPrompt, countTokens, loadTokenizer } from '../sim/tokenizer.js';
import { fromZod } from './api-error.js';
import { checkContext, randomId, type RequestContext, requireModel, runJobs, sendJson, usageOf } from './context.js';
import { chatRequest, type ChatRequest, completionRequest } from './requests.js';

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };
const DONE = 'data: [DONE]\n\n';

function finishJson(reason: string | null): string {
  return reason === null ? 'null' : `"${reason}"`;
}

/** Streams tokens as the engine emits them, and obeys the abort-after-N-tokens fault. */
class StreamWriter {
  private sent = 0;
  private dying = false;

  constructor(private readonly ctx: RequestContext) {
    ctx.res.writeHead(200, SSE_HEADERS);
    ctx.res.flushHeaders();
  }

  /** Writes frames for one token; true while the stream lives. */
  token(frames: string): void {
    const { res, machine } = this.ctx;
    if (res.destroyed || this.dying) return;
    this.sent++;
    const limit = machine.faults.abortStreamsAfterTokens;
    if (limit !== null && this.sent >= limit) {
      // A dying worker: what it sent arrives, then the connection drops without a final chunk
      // or [DONE] (destroying at once would discard the bytes still in the socket's buffer).
      this.dying = true;
      res.write(frames, () => res.destroy());
      return;
    }
    res.write(frames);
  }

  write(frames: string): void {
    if (!this.ctx.res.destroyed && !this.dying) this.ctx.res.write(frames);
  }

  end(frames: string): void {
    if (!this.ctx.res.destroyed && !this.dying) this.ctx.res.end(frames);
  }
}

function lastUserText(request: ChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return (message.content ?? []).map((p) => (p.type === 'text' ? (p.text ?? '') : '')).join(' ');
  }
  return '';
}

function toolChoiceOf(request: ChatRequest): ToolChoice {
  const choice = request.tool_choice;
  if (choice === undefined || choice === null) return 'auto';
  return typeof choice === 'string' ? choice : { name: choice.function.name };
}

function formatOf(request: ChatRequest): OutputFormat {
  const format = request.response_format;
  if (format?.type === 'json_schema') return { type: 'json_schema', schema: format.json_schema.schema ?? { type: 'object' } };
  if (format?.type === 'json_object') return { type: 'json_object' };
  return { type: 'text' };
}

function stopsOf(stop: string | string[] | null | undefined): string[] {
  if (stop === undefined || stop === null) return [];
  return typeof stop === 'string' ? [stop] : stop;
}

/** The budget the planner gets: the client's, never past the end of the context window. */
function budgetOf(maxTokens: number | undefined, promptTokens: number, contextLength: number): number {
  return Math.max(0, Math.min(maxTokens ?? Infinity, contextLength - promptTokens));
}

export async function chatCompletions(ctx: RequestContext, body: unknown): Promise<void> {
  const parsed = chatRequest.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  const request = parsed.data;
  const spec = requireModel(ctx.machine, request.model, '/v1/chat/completions');
  await loadTokenizer();
  const tools = (request.tools ?? []).map((t) => ({ name: t.function.name, parameters: t.function.parameters ?? { type: 'object', properties: {} } }));
  const prompt = countChatPrompt(request.messages, tools.length > 0 ? JSON.stringify(request.tools) : undefined);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  checkContext(prompt.tokens, maxTokens, spec.contextLength, 'messages');
  const tool = chooseTool(tools, toolChoiceOf(request), lastUserText(request));
  const budget = budgetOf(maxTokens, prompt.tokens, spec.contextLength);
  const plans: ChoicePlan[] = [];
  for (let i = 0; i < (request.n ?? 1); i++) {
    plans.push(
      planChoice({
        model: request.model,
        promptText: prompt.text,
        seed: request.seed ?? undefined,
        choiceIndex: i,
        reasoning: spec.reasoning,
        maxTokens: Number.isFinite(budget) ? budget : undefined,
        minTokens: request.min_tokens ?? undefined,
        ignoreEos: request.ignore_eos ?? false,
        stop: stopsOf(request.stop),
        format: formatOf(request),
        toolCall: tool,
      }),
    );
  }
  const id = `chatcmpl-${randomId()}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = usageOf(
    prompt.tokens,
    plans.reduce((s, p) => s + p.completionTokens, 0),
    plans.reduce((s, p) => s + p.reasoningTokens, 0),
  );
  const jobs = plans.map((p) => ({ promptTokens: prompt.tokens, outputTokens: p.completionTokens }));

  if (!request.stream) {
    if (!(await runJobs(ctx, request.model, jobs))) return;
    const choices = plans.map((p, index) => ({
      index,
      message: {
        role: 'assistant',
        content: p.content === null ? null : p.content.join(''),
        refusal: null,
        ...(spec.reasoning ? { reasoning_content: p.reasoning.join('') } : {}),
        ...(p.toolCall ? { tool_calls: [{ id: p.toolCall.id, type: 'function', function: { name: p.toolCall.name, arguments: p.toolCall.arguments.join('') } }] } : {}),
      },
      logprobs: null,
      finish_reason: p.finishReason,
    }));
    sendJson(ctx.res, 200, JSON.stringify({ id, object: 'chat.completion', created, model: request.model, choices, usage }));
    return;
  }

  // Every chunk shares one prefix: same id, created and model (COMPAT §2.3).
  const head = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(request.model)},"choices":[`;
  const chunk = (index: number, delta: string, finish: string | null) => `${head}{"index":${index},"delta":${delta},"logprobs":null,"finish_reason":${finishJson(finish)}}]}\n\n`;
  const roleSent = plans.map(() => false);
  const role = (j: number) => {
    if (roleSent[j]) return '';
    roleSent[j] = true;
    return chunk(j, '{"role":"assistant","content":""}', null);
  };
  const stream = new StreamWriter(ctx);
  const ok = await runJobs(
    ctx,
    request.model,
    jobs,
    (j, i) => {
      const plan = plans[j]!;
      let frames = role(j);
      if (i < plan.reasoning.length) {
        frames += chunk(j, `{"reasoning_content":${JSON.stringify(plan.reasoning[i])}}`, null);
      } else if (plan.toolCall) {
        const k = i - plan.reasoning.length;
        if (k === 0) {
          frames += chunk(j, `{"tool_calls":[{"index":0,"id":"${plan.toolCall.id}","type":"function","function":{"name":${JSON.stringify(plan.toolCall.name)},"arguments":""}}]}`, null);
        }
        frames += chunk(j, `{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(plan.toolCall.arguments[k])}}}]}`, null);
      } else {
        frames += chunk(j, `{"content":${JSON.stringify(plan.content?.[i - plan.reasoning.length] ?? '')}}`, null);
      }
      stream.token(frames);
    },
    (j) => stream.write(role(j) + chunk(j, '{}', plans[j]!.finishReason)),
  );
  if (!ok) return;
  const usageFrame = request.stream_options?.include_usage
    ? `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(request.model)},"choices":[],"usage":${JSON.stringify(usage)}}\n\n`
    : '';
  stream.end(usageFrame + DONE);
}

export async function completions(ctx: RequestContext, body: unknown): Promise<void> {
  const parsed = completionRequest.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  const request = parsed.data;
  const spec = requireModel(ctx.machine, request.model, '/v1/completions');
  await loadTokenizer();
  // One entry per prompt: its text (for hashing) and its token count.
  const { prompt } = request;
  const prompts: { text: string; tokens: number }[] =
    typeof prompt === 'string'
      ? [{ text: prompt, tokens: countTokens(prompt) }]
      : prompt.every((p) => typeof p === 'string')
        ? prompt.map((p) => ({ text: p, tokens: countTokens(p) }))
        : prompt.every((p) => typeof p === 'number')
          ? [{ text: prompt.join(' '), tokens: prompt.length }]
          : prompt.map((ids) => ({ text: ids.join(' '), tokens: ids.length }));
  const maxTokens = request.max_tokens ?? 16;
  for (const p of prompts) checkContext(p.tokens, maxTokens, spec.contextLength, 'prompt');
  const n = request.n ?? 1;
  const entries = prompts.flatMap((p) =>
    Array.from({ length: n }, (_, i) => ({
      prompt: p,
      plan: planChoice({
        model: request.model,
        promptText: p.text,
        seed: request.seed ?? undefined,
        choiceIndex: i,
        reasoning: false,
        maxTokens: budgetOf(maxTokens, p.tokens, spec.contextLength),
        minTokens: request.min_tokens ?? undefined,
        ignoreEos: request.ignore_eos ?? false,
        stop: stopsOf(request.stop),
        format: { type: 'text' },
        toolCall: null,
      }),
    })),
  );
  const id = `cmpl-${randomId()}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = usageOf(
    prompts.reduce((s, p) => s + p.tokens, 0),
    entries.reduce((s, e) => s + e.plan.completionTokens, 0),
    0,
  );
  const jobs = entries.map((e) => ({ promptTokens: e.prompt.tokens, outputTokens: e.plan.completionTokens }));

  if (!request.stream) {
    if (!(await runJobs(ctx, request.model, jobs))) return;
    const choices = entries.map((e, index) => ({ text: e.plan.content?.join('') ?? '', index, logprobs: null, finish_reason: e.plan.finishReason }));
    sendJson(ctx.res, 200, JSON.stringify({ id, object: 'text_completion', created, model: request.model, choices, usage }));
    return;
  }

  // Legacy stream chunks have the non-stream shape (COMPAT §3).
  const head = `data: {"id":"${id}","object":"text_completion","created":${created},"model":${JSON.stringify(request.model)},"choices":[`;
  const chunk = (index: number, text: string, finish: string | null) => `${head}{"text":${JSON.stringify(text)},"index":${index},"logprobs":null,"finish_reason":${finishJson(finish)}}]}\n\n`;
  const stream = new StreamWriter(ctx);
  const ok = await runJobs(
    ctx,
    request.model,
    jobs,
    (j, i) => stream.token(chunk(j, entries[j]!.plan.content?.[i] ?? '', null)),
    (j) => stream.write(chunk(j, '', entries[j]!.plan.finishReason)),
  );
  if (!ok) return;
  const usageFrame = request.stream_options?.include_usage
    ? `data: {"id":"${id}","object":"text_completion","created":${created},"model":${JSON.stringify(request.model)},"choices":[],"usage":${JSON.stringify(usage)}}\n\n`
    : '';
  stream.end(usageFrame + DONE);
}
