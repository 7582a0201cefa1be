/**
 * The file `nnc playground FILE` serves: read once when the page opens, written back only when
 * the user presses "Save to file". A static host has no such endpoint; the page then starts
 * from the examples.
 */
export interface ServedFile {
  name: string;
  text: string;
}

export async function loadServedFile(): Promise<ServedFile | undefined> {
  try {
    const response = await fetch('api/file', { headers: { accept: 'application/json' } });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('application/json')) return undefined;
    return (await response.json()) as ServedFile;
  } catch {
    return undefined;
  }
}

/** Writes `text` to the served file; resolves to the server's message on failure. */
export async function saveServedFile(text: string): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    const response = await fetch('api/file', {
      method: 'PUT',
      // A custom header: another site's page cannot send it without a CORS preflight, which the server refuses.
      headers: { 'content-type': 'application/json', 'x-nnc-playground': 'save' },
      body: JSON.stringify({ text }),
    });
    const body = (await response.json()) as { error?: string };
    return response.ok ? { ok: true } : { ok: false, message: body.error ?? `the server answered ${response.status}` };
  } catch (error) {
    return { ok: false, message: `the playground server did not answer (${(error as Error).message}); is \`nnc playground\` still running?` };
  }
}
