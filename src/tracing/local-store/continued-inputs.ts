import { spanAttribute } from '../span-attributes.ts';
import type { SpanRecord } from './span-record.ts';

const inputKey = 'langfuse.observation.input';

/**
 * Generation inputs stored as continuations (only the messages added since an earlier generation of the
 * trace, named by `sqlagent.input_continues`; see `LocalStoreSpanProcessor`) joined back into whole
 * conversations. Each is resolved through the span it names, whatever the order of the list. One whose
 * earlier input is missing, is not a JSON array, or was cut where it was stored stays as stored, with its
 * marker, so a reader can tell.
 */
export function joinContinuedInputs(spans: readonly SpanRecord[]): SpanRecord[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const whole = new Map<string, string | null>();
  const wholeInput = (span: SpanRecord, depth: number): string | null => {
    const known = whole.get(span.spanId);
    if (known !== undefined) return known;
    const input = span.attributes[inputKey];
    const continues = span.attributes[spanAttribute.inputContinues];
    let result: string | null = null;
    // Parsed, not just looked at: an input cut where it was stored ends in "… [cut: N more characters]".
    if (typeof input === 'string' && isJsonArray(input)) {
      if (typeof continues !== 'string') result = input;
      else {
        const earlier = byId.get(continues);
        // The depth bound stops a chain that loops (two spans naming each other) from recursing forever.
        const before = earlier && depth < spans.length ? wholeInput(earlier, depth + 1) : null;
        if (before !== null && input !== '[]') result = before === '[]' ? input : `${before.slice(0, -1)},${input.slice(1)}`;
      }
    }
    whole.set(span.spanId, result);
    return result;
  };
  return spans.map((span) => {
    if (typeof span.attributes[spanAttribute.inputContinues] !== 'string') return span;
    const joined = wholeInput(span, 0);
    if (joined === null) return span;
    const { [spanAttribute.inputContinues]: _continued, ...attributes } = span.attributes;
    return { ...span, attributes: { ...attributes, [inputKey]: joined } };
  });
}

function isJsonArray(text: string): boolean {
  if (!text.startsWith('[')) return false;
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}
