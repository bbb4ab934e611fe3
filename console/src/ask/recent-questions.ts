/** The questions this browser asked of each datasource, newest first (kept in local storage). */
const storageKey = 'sqlagent.recentQuestions';
const keep = 8;

function readAll(): Record<string, string[]> {
  try {
    const parsed = JSON.parse(localStorage.getItem(storageKey) ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string[]>) : {};
  } catch {
    return {};
  }
}

export function recentQuestions(datasource: string): string[] {
  const list = readAll()[datasource];
  return Array.isArray(list) ? list.filter((entry) => typeof entry === 'string') : [];
}

export function rememberQuestion(datasource: string, question: string): void {
  const all = readAll();
  all[datasource] = [question, ...recentQuestions(datasource).filter((entry) => entry !== question)].slice(0, keep);
  try {
    localStorage.setItem(storageKey, JSON.stringify(all));
  } catch {
    // Storage full or off: the list is a convenience.
  }
}
