import type nunjucks from 'nunjucks';

type KeywordArguments = { __keywords?: boolean; [key: string]: unknown };

const isKeywords = (value: unknown): value is KeywordArguments => Boolean(value && typeof value === 'object' && (value as KeywordArguments).__keywords);

/** Jinja2 tests usable in `selectattr` / `rejectattr`. */
const tests: Record<string, (value: unknown, argument?: unknown) => boolean> = {
  defined: (value) => value !== undefined,
  undefined: (value) => value === undefined,
  none: (value) => value === null,
  truthy: (value) => Boolean(value),
  falsy: (value) => !value,
  equalto: (value, argument) => value === argument,
  eq: (value, argument) => value === argument,
  '==': (value, argument) => value === argument,
  ne: (value, argument) => value !== argument,
  '!=': (value, argument) => value !== argument,
  in: (value, argument) => Array.isArray(argument) && argument.includes(value),
};

function attributeSelector(items: unknown[], attribute: string, testName: string | undefined, argument: unknown, keep: boolean): unknown[] {
  const test = testName === undefined ? tests.truthy : tests[testName];
  if (!test) throw new Error(`unknown test "${testName}" (known: ${Object.keys(tests).join(', ')})`);
  return (items ?? []).filter((item) => test((item as Record<string, unknown>)?.[attribute], argument) === keep);
}

/**
 * Adds the Jinja2 filters nunjucks lacks or implements differently, so templates written for Jinja (as
 * Langfuse users write them) render here unchanged: `map(attribute='name')` and `map('upper')`,
 * `selectattr`/`rejectattr` with a test (`selectattr('kind', 'equalto', 'view')`), and `tojson`.
 */
export function addJinjaFilters(environment: nunjucks.Environment): void {
  environment.addFilter('map', (items: unknown[], ...args: unknown[]) => {
    const keywords = isKeywords(args[args.length - 1]) ? (args.pop() as KeywordArguments) : {};
    if (typeof keywords.attribute === 'string') {
      const attribute = keywords.attribute;
      return (items ?? []).map((item) => (item as Record<string, unknown>)?.[attribute] ?? keywords.default);
    }
    const [filterName, ...filterArgs] = args;
    if (typeof filterName !== 'string') throw new Error("map needs attribute='…' or a filter name");
    const filter = environment.getFilter(filterName) as (...values: unknown[]) => unknown;
    return (items ?? []).map((item) => filter(item, ...filterArgs));
  });
  environment.addFilter('selectattr', (items: unknown[], attribute: string, testName?: string, argument?: unknown) => attributeSelector(items, attribute, testName, argument, true));
  environment.addFilter('rejectattr', (items: unknown[], attribute: string, testName?: string, argument?: unknown) => attributeSelector(items, attribute, testName, argument, false));
  environment.addFilter('tojson', (value: unknown) => JSON.stringify(value));
}
