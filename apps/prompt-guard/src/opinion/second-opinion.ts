import { type GuardVerdict } from '@llmaas/contracts';

/** What a guard model (granite3-guardian and the like) says about one prompt; null when it could not answer. */
export type Opinion = 'risky' | 'safe' | null;

export interface OpinionSettings {
  /** OpenAI-compatible base URL of an engine serving the guard model, e.g. http://10.0.0.7:8000/v1. */
  url: string;
  model: string;
  apiKey?: string;
  /** Scores within this distance of the tenant's threshold are borderline: the guard model decides them. */
  margin: number;
  timeoutMs: number;
  /** The risk the guard model is asked about: granite3-guardian reads it from the system message. */
  risk: string;
}

/** Whether a verdict is close enough to its threshold to ask the guard model (a score of 0 never is). */
export const isBorderline = (score: number, threshold: number, margin: number): boolean => score > 0 && Math.abs(score - threshold) < margin;

/** What the guard model reads: the request's texts, up to what fits its context (8,192 tokens for granite3-guardian). */
export const opinionText = (texts: readonly string[], maxChars = 16_000): string => texts.join('\n\n').slice(-maxChars);

/**
 * A verdict after the guard model's opinion: on a borderline score, "risky" blocks and "safe"
 * allows; no opinion (timeout, error) leaves the layers' decision as it was.
 */
export function withOpinion(verdict: GuardVerdict, opinion: Opinion, model: string): GuardVerdict {
  if (opinion === null) return verdict;
  const rule = `L5.opinion.${model}`;
  if (opinion === 'risky') {
    return { ...verdict, decision: 'block', layer: 'opinion', rules: [...verdict.rules, rule], reasons: [`A guard model (${model}) judged the prompt to be a jailbreak attempt.`, ...verdict.reasons] };
  }
  return { ...verdict, decision: 'allow', rules: [...verdict.rules, rule] };
}

/** Granite Guardian answers "Yes" (the risk is present) or "No". */
export function readOpinion(content: string | null | undefined): Opinion {
  const word = (content ?? '').trim().toLowerCase();
  if (word.startsWith('yes')) return 'risky';
  if (word.startsWith('no')) return 'safe';
  return null;
}

/** The chat completion that asks a guard model about one text (fetch: a few calls a second at most). */
export class SecondOpinion {
  private readonly endpoint: string;

  constructor(readonly settings: OpinionSettings) {
    this.endpoint = new URL('chat/completions', settings.url.endsWith('/') ? settings.url : `${settings.url}/`).toString();
  }

  async ask(text: string): Promise<Opinion> {
    try {
      const res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}) },
        body: JSON.stringify({
          model: this.settings.model,
          messages: [
            { role: 'system', content: this.settings.risk },
            { role: 'user', content: text },
          ],
          max_tokens: 3,
          temperature: 0,
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      if (res.status !== 200) return null;
      const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
      return readOpinion(body.choices?.[0]?.message?.content);
    } catch {
      return null;
    }
  }
}

/** The injection token of the configured second opinion (null when no guard model is configured). */
export const OPINION = Symbol('OPINION');

/** From the service's config: a second opinion when GUARD_OPINION_URL is set. */
export function secondOpinionFrom(config: {
  GUARD_OPINION_URL?: string;
  GUARD_OPINION_MODEL: string;
  GUARD_OPINION_API_KEY?: string;
  GUARD_OPINION_MARGIN: number;
  GUARD_OPINION_TIMEOUT_MS: number;
  GUARD_OPINION_RISK: string;
}): SecondOpinion | null {
  if (!config.GUARD_OPINION_URL) return null;
  return new SecondOpinion({
    url: config.GUARD_OPINION_URL,
    model: config.GUARD_OPINION_MODEL,
    apiKey: config.GUARD_OPINION_API_KEY,
    margin: config.GUARD_OPINION_MARGIN,
    timeoutMs: config.GUARD_OPINION_TIMEOUT_MS,
    risk: config.GUARD_OPINION_RISK,
  });
}
