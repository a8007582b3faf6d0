import { promptTexts } from './prompt-guard.js';

/**
 * Usage for a stream the worker broke off (no usage chunk came): what was delivered is billed,
 * once, and no more. Output: the content chunks relayed — vLLM and the sim engine stream one
 * token per chunk. Input: the prompt counted with the o200k tokenizer (the engines' fallback
 * too), loaded only on this rare path to keep it off the gateway's memory otherwise.
 */
const CONTENT_MARKS = ['"delta":{"content":"', '"delta":{"reasoning_content":"', '"text":"'].map((m) => Buffer.from(m));

export function countContentChunks(piece: Buffer): number {
  let n = 0;
  for (const mark of CONTENT_MARKS) {
    for (let at = piece.indexOf(mark); at >= 0; at = piece.indexOf(mark, at + mark.length)) {
      // An empty first delta (`"content":""`) carries no token.
      if (piece[at + mark.length] !== 0x22) n++;
    }
  }
  return n;
}

export async function estimatePromptTokens(body: Record<string, unknown>): Promise<number> {
  const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
  return countTokens(promptTexts(body).join('\n'));
}
