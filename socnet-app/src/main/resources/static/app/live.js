// The live feed: WebSocket /post/feed/posted (docs/api/otus-asyncapi-1.0.0.json, docs/realtime.md),
// token in the query as browsers cannot set headers. Frames {postId, postText, author_user_id}. A lost
// connection is reported and re-opened after 1, 2, 4 … 30 s; after a re-open the page catches up
// through GET /post/feed (onReconnect), since posts made meanwhile were not pushed. A connection the
// server closed with 1008 (token expired, too many connections of this user) is reported, not re-opened.
import { current } from './session.js';

const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 30000;
/** Close code 1008: the server closed the connection by policy (docs/realtime.md); not re-opened. */
const POLICY_VIOLATION = 1008;

export class LiveFeed {
  /**
   * @param {{onPost: (frame) => void,
   *          onStatus: (status: 'connecting'|'open'|'lost'|'ended', retryInMs?: number, reason?: string) => void,
   *          onReconnect: () => void}} handlers
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.retryMs = FIRST_RETRY_MS;
    this.everOpened = false;
    this.closed = false;
    this.open();
  }

  open() {
    const session = current();
    if (this.closed || !session) return;
    this.handlers.onStatus('connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/post/feed/posted?token=${encodeURIComponent(session.token)}`);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = FIRST_RETRY_MS;
      this.handlers.onStatus('open');
      if (this.everOpened) this.handlers.onReconnect();
      this.everOpened = true;
    });
    socket.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return; // not a post frame
      }
      if (frame && frame.postId) this.handlers.onPost(frame);
    });
    socket.addEventListener('close', (event) => {
      if (this.closed || this.socket !== socket) return;
      if (event.code === POLICY_VIOLATION) {
        // the server ended it on purpose (token expired, or this user's newest connection elsewhere
        // replaced this one): re-opening would only repeat that
        this.closed = true;
        this.handlers.onStatus('ended', undefined, event.reason);
        return;
      }
      const wait = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, LONGEST_RETRY_MS);
      this.handlers.onStatus('lost', wait);
      this.timer = setTimeout(() => this.open(), wait);
    });
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
  }
}
