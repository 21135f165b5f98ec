// Calls to the public API through this gateway, with the API key the user typed (kept in sessionStorage:
// gone when the tab closes). Errors arrive as application/problem+json and become an ApiError.

const KEY = 'crm.apiKey';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  login: (key) => sessionStorage.setItem(KEY, key),
  logout: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, problem) {
    // a validation problem lists each field (its detail only summarises them); others say it in detail
    const errors = problem && Array.isArray(problem.errors) ? problem.errors : [];
    const detail = errors.length ? errors.map((e) => `${e.field}: ${e.message}`).join('; ')
      : problem && typeof problem === 'object' ? problem.detail || problem.title : String(problem || '');
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * One API call. {query} drops empty values; a plain object {body} goes as JSON, anything else (a File, a
 * string) as it is with {contentType}.
 */
export async function api(path, { method = 'GET', query, body, contentType, headers = {}, key } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') {
      url.searchParams.set(name, value);
    }
  }
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  const apiKey = key || session.key();
  if (apiKey) {
    init.headers.Authorization = `Bearer ${apiKey}`;
  }
  if (body !== undefined) {
    const json = body !== null && Object.getPrototypeOf(body) === Object.prototype || Array.isArray(body);
    init.headers['Content-Type'] = json ? 'application/json' : (contentType || 'application/octet-stream');
    init.body = json ? JSON.stringify(body) : body;
  }
  const response = await fetch(url, init);
  const type = response.headers.get('Content-Type') || '';
  const data = response.status === 204 ? null
    : type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    if (response.status === 401 && !key) {
      window.dispatchEvent(new CustomEvent('crm:unauthorized'));
    }
    throw new ApiError(response.status, data);
  }
  return data;
}

/** The same call, but a 404 (e.g. a customer not scored yet) is null instead of an error. */
export async function apiOrNull(path, options) {
  try {
    return await api(path, options);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return null;
    }
    throw e;
  }
}
