import { generateJson } from './json-gen.js';
import { intBetween, prose, rngFrom, seedOf, sentence, words } from './text-gen.js';
import { countTokens, tokenPieces } from './tokenizer.js';

/** What one choice will say, decided before the engine starts emitting its tokens. */
export interface ChoicePlan {
  /** Reasoning tokens' text pieces (reasoning models only). */
  readonly reasoning: readonly string[];
  /** Content token pieces, or null when the choice is a tool call. */
  readonly content: readonly string[] | null;
  readonly toolCall: { readonly id: string; readonly name: string; readonly arguments: readonly string[] } | null;
  readonly finishReason: 'stop' | 'length' | 'tool_calls';
  /** Tokens the engine emits for this choice: reasoning + content (or tool-call arguments). */
  readonly completionTokens: number;
  readonly reasoningTokens: number;
}

export type OutputFormat = { readonly type: 'text' } | { readonly type: 'json_object' } | { readonly type: 'json_schema'; readonly schema: unknown };

export interface PlanInput {
  readonly model: string;
  /** The prompt's text: with the seed and choice index it fixes the output. */
  readonly promptText: string;
  readonly seed: number | undefined;
  readonly choiceIndex: number;
  readonly reasoning: boolean;
  /** Completion budget (max_completion_tokens, else max_tokens); reasoning counts in it. */
  readonly maxTokens: number | undefined;
  /** vLLM's `min_tokens`: the natural stop comes no earlier. */
  readonly minTokens: number | undefined;
  /** vLLM's `ignore_eos`: no natural stop, generate up to maxTokens. */
  readonly ignoreEos: boolean;
  readonly stop: readonly string[];
  readonly format: OutputFormat;
  readonly toolCall: { readonly name: string; readonly parameters: unknown } | null;
}

/** A natural answer lasts 20 to 60 tokens, chosen by the seed. */
export const NATURAL_MIN_TOKENS = 20;
export const NATURAL_MAX_TOKENS = 60;

export function planChoice(input: PlanInput): ChoicePlan {
  const r = rngFrom(seedOf(input.model, input.promptText, input.seed, input.choiceIndex));
  let budget = input.maxTokens ?? Infinity;

  let reasoning: string[] = [];
  if (input.reasoning) {
    const target = intBetween(r, NATURAL_MIN_TOKENS, NATURAL_MAX_TOKENS);
    reasoning = tokenPieces(`Let me think this through. ${prose(r, (t) => countTokens(t) >= target)}`);
    if (reasoning.length >= budget) {
      reasoning = reasoning.slice(0, budget);
      return { reasoning, content: [], toolCall: null, finishReason: 'length', completionTokens: reasoning.length, reasoningTokens: reasoning.length };
    }
    budget -= reasoning.length;
  }

  if (input.toolCall) {
    // Tool-call arguments are not cut by the budget: a truncated call would be useless to the client.
    const args = tokenPieces(JSON.stringify(generateJson(input.toolCall.parameters ?? { type: 'object' }, r)));
    const id = `call_${Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0')}${Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0')}${Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0')}`;
    return {
      reasoning,
      content: null,
      toolCall: { id, name: input.toolCall.name, arguments: args },
      finishReason: 'tool_calls',
      completionTokens: reasoning.length + args.length,
      reasoningTokens: reasoning.length,
    };
  }

  let text: string;
  switch (input.format.type) {
    case 'json_object':
      text = JSON.stringify({ title: words(r, 3), summary: sentence(r), score: Math.round(r() * 100) / 100 });
      break;
    case 'json_schema':
      text = JSON.stringify(generateJson(input.format.schema ?? { type: 'object' }, r));
      break;
    case 'text': {
      let target = intBetween(r, NATURAL_MIN_TOKENS, NATURAL_MAX_TOKENS);
      if (input.minTokens !== undefined) target = Math.max(target, input.minTokens);
      if (input.ignoreEos && Number.isFinite(budget)) target = Math.max(target, budget);
      text = prose(r, (t) => countTokens(t) >= target);
      break;
    }
  }

  let finishReason: ChoicePlan['finishReason'] = 'stop';
  const cut = firstStop(text, input.stop);
  if (cut >= 0) text = text.slice(0, cut);
  let content = tokenPieces(text);
  if (content.length > budget) {
    content = content.slice(0, budget);
    finishReason = 'length';
  }
  return { reasoning, content, toolCall: null, finishReason, completionTokens: reasoning.length + content.length, reasoningTokens: reasoning.length };
}

/** Where the earliest stop sequence starts, or -1: the text is cut before it. */
export function firstStop(text: string, stops: readonly string[]): number {
  let at = -1;
  for (const stop of stops) {
    if (stop.length === 0) continue;
    const i = text.indexOf(stop);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

export interface ToolDefinition {
  readonly name: string;
  readonly parameters: unknown;
}

export type ToolChoice = 'none' | 'auto' | 'required' | { readonly name: string };

/**
 * Which tool the simulated model calls, if any: `required` calls the first tool, a named choice
 * that tool, and `auto` a tool whose name the last user message mentions (as "get_weather" or
 * "get weather").
 */
export function chooseTool(tools: readonly ToolDefinition[], choice: ToolChoice, lastUserText: string): ToolDefinition | null {
  if (tools.length === 0 || choice === 'none') return null;
  if (choice === 'required') return tools[0] ?? null;
  if (typeof choice === 'object') return tools.find((t) => t.name === choice.name) ?? null;
  const said = lastUserText.toLowerCase();
  return tools.find((t) => said.includes(t.name.toLowerCase()) || said.includes(t.name.toLowerCase().replace(/[_-]+/g, ' '))) ?? null;
}
