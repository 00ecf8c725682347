/** A strong ETag for bytes that never change under their id: their SHA-256. */
export function etagOf(sha256: string): string {
  return `"${sha256}"`;
}
