/** A request as logs and error messages name it: method and path, never the query string (it may hold a password). */
export function requestLineOf(request: { method: string; url: string }): string {
  const query = request.url.indexOf('?');
  return `${request.method} ${query === -1 ? request.url : request.url.slice(0, query)}`;
}

/** The media type of a Content-Type header, lower-cased, without its parameters; undefined when there is none. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const mediaType = contentType?.split(';', 1)[0].trim().toLowerCase();
  return mediaType || undefined;
}
