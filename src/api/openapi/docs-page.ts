/** Placeholder replaced below. */
export function renderDocsPage(doc: Record<string, unknown>): string {
  return `<!doctype html><title>bimo API</title><pre>${JSON.stringify(doc).length}</pre>`;
}
