import { authorizationHeaders } from './api-key.ts';
import { ApiError, errorOf } from './api-error.ts';

/** Calls the API with the saved key: the parsed JSON of a 2xx answer, or an ApiError. */
export async function callApi<T>(path: string, options: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...authorizationHeaders(),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: options.signal,
    });
  } catch (error) {
    throw ApiError.from(error);
  }
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/** A query string from the parameters that have a value. */
export function queryString(parameters: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A prompt name in a path (names hold `/`, which the API accepts encoded). */
export const promptPath = (name: string) => `/v1/prompts/${encodeURIComponent(name)}`;
