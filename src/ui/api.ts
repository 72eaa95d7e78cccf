// The one way the UI talks to the Worker: JSON over /api, errors as ApiFailure with the server's message.

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** Called when any request answers 401: the session ended, so the app shows the sign-in page. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** The session ended (a 401, or a live socket closed because access ended): the app shows the sign-in page. */
export function signedOut() {
  signedOutListeners.forEach((l) => l());
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, "offline", "Parley cannot be reached; check the connection and try again.");
  }
  const data = (await response.json().catch(() => null)) as { error?: { code: string; message: string; details?: unknown } } | null;
  if (!response.ok) {
    const error = data?.error;
    if (response.status === 401 && !path.startsWith("/auth/")) signedOut();
    throw new ApiFailure(response.status, error?.code ?? "http_error", error?.message ?? `The request failed (${response.status}).`, error?.details);
  }
  return data as T;
}

/** Builds a query string from the values that are set. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
