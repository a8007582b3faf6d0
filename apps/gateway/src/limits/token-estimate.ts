/**
 * Tokens a request may use, counted before it runs for the tokens-per-minute limit and settled
 * with the real count after. No tokenizer on the hot path: CJK characters count one token each
 * (o200k is about that), other text one per four characters, rounded up — then the completion's
 * ceiling (`max_tokens`, `max_completion_tokens`, or `defaultMaxTokens` when the caller set none).
 */
export function estimateTokens(texts: readonly string[], maxTokens: number | undefined, defaultMaxTokens: number): number {
  let cjk = 0;
  let other = 0;
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // CJK ideographs, kana, hangul.
      if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) cjk++;
      else other++;
    }
  }
  return cjk + Math.ceil(other / 4) + (maxTokens ?? defaultMaxTokens);
}

/** The completion ceiling a request body names, if any. */
export function requestedMaxTokens(body: Record<string, unknown>): number | undefined {
  for (const field of ['max_completion_tokens', 'max_tokens']) {
    const v = body[field];
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  }
  return undefined;
}

/** Every text a request sends for processing, whatever the endpoint (prompts, inputs, documents). */
export function requestTexts(body: Record<string, unknown>, prompts: readonly string[]): string[] {
  const texts = [...prompts];
  const add = (v: unknown) => {
    if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') texts.push(x);
  };
  add(body.input);
  add(body.query);
  add(body.documents);
  return texts;
}
