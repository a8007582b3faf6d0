/** One reason a layer finds a prompt suspicious: a rule id, its weight, a sentence for people. */
export interface Finding {
  layer: string;
  rule: string;
  score: number;
  reason: string;
}
