import { counterChannel, publicCounterState } from './counter-screens.js';
import { randomId } from './crypto.js';
import type { Database, Transaction } from './db.js';
import type { Logger } from './log.js';
import type { EventHub } from './sse.js';
import { EVENTS_CHANNEL, type GatewayEvent, type Store, type StoreOptions } from './store.js';

/**
 * Carries the events of committed changes from the store to the SSE subscribers of every instance:
 * to this instance's subscribers at once (`onCommit`, no database round trip); on PostgreSQL also to
 * the other instances through NOTIFY, sent inside the transaction so that it is delivered exactly when
 * the change commits (tagged with this instance's id, so its own echo is skipped), and from them
 * through LISTEN. While the LISTEN connection is down, other instances' events are missed: memory is
 * not trusted; once it is back, every watched channel is re-read and what is newer pushed.
 *
 * Use: spread {@link storeHooks} into the `Store`'s options, then {@link listen} with the store.
 */
export class EventRelay {
  private readonly instanceId = randomId(8);
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly hub: EventHub,
    private readonly log: Logger,
  ) {}

  /** `beforeCommit` (PostgreSQL: the NOTIFYs, sent with the COMMIT) and `onCommit` for the store. */
  get storeHooks(): Pick<StoreOptions, 'beforeCommit' | 'onCommit'> {
    const notify = (tx: Transaction, events: GatewayEvent[]) =>
      tx.notifyOnCommit(
        EVENTS_CHANNEL,
        events.map((event) => `${this.instanceId}|${JSON.stringify(event)}`),
      );
    return {
      ...(this.db.kind === 'postgres' ? { beforeCommit: notify } : {}),
      onCommit: (events) => {
        for (const event of events) this.publish(event);
      },
    };
  }

  /** A counter's state goes to its paired screens as it is, and to public readers without the rating prompt. */
  private publish(event: GatewayEvent): void {
    this.hub.dispatch(event);
    if (event.type === 'counter')
      this.hub.dispatch({ ...event, data: publicCounterState(event.data) }, `counter-public:${counterChannel(event.unit, event.data.counter)}`);
  }

  /** PostgreSQL: LISTENs for the other instances' events, and resynchronises after a lost connection. */
  async listen(store: Store): Promise<void> {
    if (this.db.kind !== 'postgres') return;
    await this.db.listen(EVENTS_CHANNEL, (payload) => {
      const separator = payload.indexOf('|');
      if (payload.slice(0, separator) === this.instanceId) return;
      try {
        this.publish(JSON.parse(payload.slice(separator + 1)) as GatewayEvent);
      } catch {
        this.log.warn('malformed event notification', { length: payload.length });
      }
    });
    this.db.onListening((up) => (up ? void this.resync(store) : this.hub.stale()));
  }

  /** Re-reads every watched channel and pushes what is newer (retried, with backoff, until it works). */
  private async resync(store: Store, attempt = 0): Promise<void> {
    try {
      const channels = await this.hub.resync(async (channel) => {
        const [kind, id = ''] = [channel.slice(0, channel.indexOf(':')), channel.slice(channel.indexOf(':') + 1)];
        // Counter channels are `<unit>/<counter>` (unit ids have no `/`).
        const [unit = '', counter = ''] = [id.slice(0, id.indexOf('/')), id.slice(id.indexOf('/') + 1)];
        if (kind === 'counter') return { type: 'counter', unit, data: await store.counterState(unit, counter) };
        if (kind === 'counter-public') return { type: 'counter', unit, data: publicCounterState(await store.counterState(unit, counter)) };
        const payment = await store.getPayment(id);
        return payment && { type: 'payment', data: payment };
      });
      this.log.info('events resynchronised after LISTEN reconnect', { channels });
    } catch (error) {
      this.log.warn('events resync failed', { error: (error as Error).message });
      if (!this.closed && this.db.listening) {
        this.retryTimer = setTimeout(() => void this.resync(store, attempt + 1), Math.min(3_000, 250 * 2 ** attempt));
        this.retryTimer.unref();
      }
    }
  }

  /** Stops retrying (the database closes next). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }
}
