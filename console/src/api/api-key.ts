/** The API key the console sends, kept in this browser's storage: entered once, sent as `Authorization: Bearer`. */
const storageKey = 'sqlagent.apiKey';

export function readApiKey(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function saveApiKey(key: string | null): void {
  if (key === null || key.trim() === '') localStorage.removeItem(storageKey);
  else localStorage.setItem(storageKey, key.trim());
}

/** The headers every API request carries: the bearer key when one is saved (none on the loopback demo). */
export function authorizationHeaders(): Record<string, string> {
  const key = readApiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}
