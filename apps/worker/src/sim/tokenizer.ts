/**
 * Token counting with a real BPE tokenizer. The model families we host (Llama, Qwen, Mistral…)
 * publish their tokenizers as Hugging Face `tokenizer.json` files, not as npm packages usable
 * offline, so every model is counted with OpenAI's o200k_base (gpt-tokenizer), the closest
 * modern 200k-vocabulary BPE. Never an estimate from characters.
 *
 * The encoding's tables cost ~20 MB of heap (~55 MB RSS), so they are loaded on the first request
 * that needs them, not at start: an idle worker stays small.
 */

type Encoding = typeof import('gpt-tokenizer/encoding/o200k_base');

let encoding: Encoding | undefined;
let loading: Promise<Encoding> | undefined;

export async function loadTokenizer(): Promise<void> {
  if (encoding) return;
  loading ??= import('gpt-tokenizer/encoding/o200k_base');
  encoding = await loading;
}

function enc(): Encoding {
  if (!encoding) throw new Error('tokenizer used before loadTokenizer()');
  return encoding;
}

export function countTokens(text: string): number {
  return text.length === 0 ? 0 : enc().encode(text).length;
}

/** The text cut at token boundaries: pieces concatenate back to the text, one per token. */
export function tokenPieces(text: string): string[] {
  if (text.length === 0) return [];
  const e = enc();
  return e.encode(text).map((token) => e.decode([token]));
}

/**
 * Each chat message costs its text plus 4 tokens of framing (role and separators, as in the
 * ChatML accounting OpenAI documents: `<|im_start|>role\n … <|im_end|>\n`), and the reply is
 * primed with 3 more (`<|im_start|>assistant<|message|>`).
 */
export const TOKENS_PER_MESSAGE = 4;
export const TOKENS_REPLY_PRIMING = 3;
/** An image part counts as a fixed 765 tokens: OpenAI's figure for a 1024×1024 image at detail high. */
export const TOKENS_PER_IMAGE = 765;

export interface PromptText {
  /** Concatenated text of every message, for hashing the prompt. */
  readonly text: string;
  readonly tokens: number;
}

interface MessageLike {
  readonly role: string;
  readonly content?: unknown;
  readonly name?: unknown;
  readonly tool_calls?: unknown;
}

/** Counts a chat prompt: messages' text (string or text parts), images at a fixed cost, framing. */
export function countChatPrompt(messages: readonly MessageLike[], toolsJson?: string): PromptText {
  let tokens = TOKENS_REPLY_PRIMING;
  const texts: string[] = [];
  for (const message of messages) {
    tokens += TOKENS_PER_MESSAGE + countTokens(message.role);
    const { content } = message;
    if (typeof content === 'string') {
      texts.push(content);
      tokens += countTokens(content);
    } else if (Array.isArray(content)) {
      for (const part of content as unknown[]) {
        if (typeof part !== 'object' || part === null) continue;
        const p = part as { type?: unknown; text?: unknown };
        if (p.type === 'text' && typeof p.text === 'string') {
          texts.push(p.text);
          tokens += countTokens(p.text);
        } else if (p.type === 'image_url') {
          tokens += TOKENS_PER_IMAGE;
        }
      }
    }
    if (typeof message.name === 'string') tokens += countTokens(message.name);
    if (message.tool_calls !== undefined && message.tool_calls !== null) tokens += countTokens(JSON.stringify(message.tool_calls));
  }
  // Tool definitions are part of the prompt the model sees.
  if (toolsJson) tokens += countTokens(toolsJson);
  return { text: texts.join('\n'), tokens };
}
