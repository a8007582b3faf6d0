/**
 * Whether `model` is allowed by a list of exact ids or prefix patterns (`qwen3*`, `*`).
 * An empty list allows everything: the restriction then comes from the next level (tenant).
 */
export function modelAllowed(patterns: readonly string[], model: string): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((pattern) => (pattern.endsWith('*') ? model.startsWith(pattern.slice(0, -1)) : pattern === model));
}
