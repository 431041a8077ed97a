/**
 * A protocol client that does what the engine does, one message at a time, at the wire level:
 * a `message:nack` rate_limited is resent after its `retryAfterMs`; a closed socket is resumed
 * (sessionId, lastSeq) after the wait a preceding `session:error` asked for; events are kept
 * across sockets by seq. The outage test needs the frames themselves (4503, retryAfterMs), and
 * must not depend on the engine being rewritten beside it.
 */
import { ProtocolClient } from '../abuse/protocol-client.js';
import { token } from '../helpers.js';

type Frame = Record<string, unknown>;

export class ResilientClient {
  /** Every event received, by seq, across sockets. */
  readonly events = new Map<number, unknown>();
  /** Close codes of the sockets it lost, and the session:error frames before them. */
  readonly closes: number[] = [];
  readonly serverErrors: Frame[] = [];
  readonly nacks: Frame[] = [];
  /** Sessions it was given, in order (one unless a resume was refused as unknown). */
  readonly sessionIds: string[] = [];
  /** firstSeq gaps announced by session:success: [lastSeq + 1, firstSeq − 1]. */
  readonly gaps: [number, number][] = [];
  #client!: ProtocolClient;
  #lastSeq = 0;

  private constructor(
    private readonly url: string,
    private readonly user: string,
  ) {}

  static async start(url: string, user: string): Promise<ResilientClient> {
    const c = new ResilientClient(url, user);
    await c.#connect();
    return c;
  }

  get sessionId(): string {
    return this.sessionIds[this.sessionIds.length - 1] as string;
  }

  get socket(): ProtocolClient {
    return this.#client;
  }

  async #connect(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const resume = this.sessionIds.length > 0 ? { sessionId: this.sessionId, lastSeq: this.#lastSeq } : {};
      try {
        this.#client = await ProtocolClient.login(this.url, await token(this.user), resume);
      } catch (err) {
        if (attempt >= 60) throw err;
        // The refusal said how long to wait (4503 and 4429 carry retryAfterMs); else the schedule's 1 s.
        const refusal = /"retryAfterMs":(\d+)/.exec(String(err));
        await new Promise((r) => setTimeout(r, refusal ? Number(refusal[1]) : 1000));
        continue;
      }
      const success = this.#client.success as Frame;
      if (success.sessionId !== this.sessionId) this.sessionIds.push(success.sessionId as string);
      if ((success.firstSeq as number) > this.#lastSeq + 1 && resume.sessionId === success.sessionId) {
        this.gaps.push([this.#lastSeq + 1, (success.firstSeq as number) - 1]);
      }
      const client = this.#client;
      client.ws.on('message', (d) => {
        const text = d.toString();
        const event = /^\{"type":"event","seq":(\d+)/.exec(text);
        if (event) {
          const seq = Number(event[1]);
          if (seq > this.#lastSeq) this.#lastSeq = seq;
          this.events.set(seq, (JSON.parse(text) as { body: unknown }).body);
          return;
        }
        const f = JSON.parse(text) as Frame;
        if (f.type === 'session:error') this.serverErrors.push(f);
        else if (f.type === 'message:nack') this.nacks.push(f);
      });
      // Events written before the listener was attached (the replay right after session:success).
      for (const e of client.events) {
        if (e.seq > this.#lastSeq) this.#lastSeq = e.seq;
        this.events.set(e.seq, (JSON.parse(e.text) as { body: unknown }).body);
      }
      client.ws.on('close', (code) => this.closes.push(code));
      return;
    }
  }

  /** Send until acknowledged, resending after nacks and resuming after closes. */
  async send(mid: string, body: unknown): Promise<void> {
    for (;;) {
      if (this.#client.closed) await this.#connect();
      const answer = await this.#client.sendOne(mid, JSON.stringify({ type: 'message', mid, body }), 30_000);
      if (answer.type === 'message:ack') return;
      if (answer.type === 'closed') continue;
      throw new Error(`${mid}: ${JSON.stringify(answer)}`);
    }
  }

  close(): void {
    this.#client.terminate();
  }
}
