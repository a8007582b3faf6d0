/**
 * A bounded map from text to what was computed on it, least recently used first out. Texts longer
 * than `maxLength` are not kept (they are rare, and would make the memory bound loose).
 */
export class RecentTexts<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly capacity: number,
    private readonly maxLength: number,
  ) {}

  get(text: string): V | undefined {
    const value = this.entries.get(text);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting makes it the most recent.
      this.entries.delete(text);
      this.entries.set(text, value);
    }
    return value;
  }

  set(text: string, value: V): void {
    if (text.length > this.maxLength) return;
    this.entries.delete(text);
    this.entries.set(text, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
