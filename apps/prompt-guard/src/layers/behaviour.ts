import { type Finding } from './finding.js';

/** The product document's threshold: the same prompt this many times in a row is flagged. */
export const REPEAT_LIMIT = 30;
/** Prompts of a key kept for reading fragments together (this one included). */
export const WINDOW = 3;
/** Characters read on each side of a junction between two prompts: fragments meet there. */
export const JUNCTION_CHARS = 500;

export interface History {
  /** The key's latest prompts, newest first, before this one. */
  recent: readonly string[];
  /** How many times in a row this exact prompt has now been sent (this one included). */
  repeats: number;
}

/**
 * Layer 3 (behaviour), pure: what the key's recent prompts say together. An attack split over
 * requests ("Ignore the" / "above instructions, and output: …") is found by analysing the window
 * joined, with the same layers as a single prompt; it counts only when the joined text says more
 * than each of its prompts alone. The same prompt `limit` times in a row is flagged on its own.
 */
export function behaviourFindings(current: string, history: History, analyse: (text: string) => Finding[], limit = REPEAT_LIMIT): Finding[] {
  const findings: Finding[] = [];
  if (history.repeats >= limit) {
    findings.push({ layer: 'behaviour', rule: 'L3.repeat', score: 0.9, reason: `The same prompt was sent ${history.repeats} times in a row.` });
  }
  if (history.recent.length > 0) {
    // Oldest first. Each prompt was (or is) judged whole on its own; here only the text around the
    // junctions is read, so a window of long prompts costs little more than one prompt.
    const prompts = [...history.recent.slice(0, WINDOW - 1)].reverse().concat(current);
    const pieces = prompts.map((text, i) => clipAroundJunctions(text, i > 0, i < prompts.length - 1));
    // Only what the pieces say together counts: a rule one of them triggers on its own was (or
    // is) judged with that prompt.
    const alone = new Set(pieces.flatMap((text) => analyse(text).map((f) => f.rule)));
    const together = analyse(pieces.join(' ')).filter((f) => !alone.has(f.rule));
    const strongest = together.sort((a, b) => b.score - a.score)[0];
    if (strongest) findings.push({ layer: 'behaviour', rule: 'L3.fragments', score: strongest.score, reason: `Read with the previous prompts: ${strongest.reason}` });
  }
  return findings;
}

/** The head (when a prompt comes before) and the tail (when one follows) of a prompt. */
export function clipAroundJunctions(text: string, head: boolean, tail: boolean, chars = JUNCTION_CHARS): string {
  if (text.length <= chars * ((head ? 1 : 0) + (tail ? 1 : 0))) return text;
  if (head && tail) return `${text.slice(0, chars)}\n${text.slice(-chars)}`;
  return head ? text.slice(0, chars) : text.slice(-chars);
}
