// A Server-Sent Events parser (the WHATWG event-stream format) over a fetch body: the browser's
// EventSource cannot send an Authorization header, so the SDK reads the stream itself.

export interface ServerSentEvent {
  /** The `id:` field of this event, when it had one. */
  id: string | undefined;
  /** The `event:` field; 'message' when absent. */
  event: string;
  data: string;
  /** A `retry:` field seen with this event (reconnection delay the server asks for). */
  retryMs: number | undefined;
}

/** Yields each complete event; a trailing event cut off by the end of the stream is dropped, as the spec says. */
export async function* parseServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  let retryMs: number | undefined;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A lone CR at the end may be the first half of a CRLF split across chunks: wait for more.
        if (newline === buffer.length - 1 && buffer.endsWith('\r')) break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield { id, event: event || 'message', data: data.join('\n'), retryMs };
          id = undefined;
          event = '';
          data = [];
          retryMs = undefined;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const raw = colon < 0 ? '' : line.slice(colon + 1);
        const text = raw.startsWith(' ') ? raw.slice(1) : raw;
        if (field === 'data') data.push(text);
        else if (field === 'event') event = text;
        else if (field === 'id' && !text.includes('\0')) id = text;
        else if (field === 'retry' && /^\d+$/.test(text)) retryMs = Number(text);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
