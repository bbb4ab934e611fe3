/**
 * A record keyed by names that come from outside (labels, prompt names) with no prototype, so that a
 * label called `constructor` or `toString` is an ordinary unknown key, not a function found on
 * `Object.prototype`.
 */
export function dictionary<T>(entries: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** JSON.parse, with every object it makes a `dictionary` (arrays stay arrays). */
export function parseDictionaries(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? dictionary(value as Record<string, unknown>) : value,
  );
}
