import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** Splits `---\n<yaml>\n---\n<body>` into its YAML data and body. Text without front matter has empty data. */
export function parseFrontMatter(text: string): { data: Record<string, unknown>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) return { data: {}, body: text };
  const data = parseYaml(match[1]) ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error('the front matter must be a YAML mapping');
  return { data: data as Record<string, unknown>, body: text.slice(match[0].length) };
}

export function formatFrontMatter(data: Record<string, unknown>, body: string): string {
  return `---\n${stringifyYaml(data).trimEnd()}\n---\n${body}`;
}
