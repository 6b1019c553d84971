// The server's change notifications, in one place that every transport subscribes to (issue 10:
// advertise only what is delivered). Sources publish (the standards watcher today; workflow
// sessions later, as `notifications/resources/updated`); each transport delivers in its own way:
// stdio writes the notification, HTTP sends it on the 2025-era GET stream and on 2026-07-28
// `subscriptions/listen` streams, and a bridge relays it to its IDE.

/** A server-to-client JSON-RPC notification, without the `jsonrpc` member. */
export interface ServerNotification {
  method: string;
  params?: Record<string, unknown>;
}

/** The notification that the list of resources changed. */
export const RESOURCES_LIST_CHANGED: ServerNotification = Object.freeze({ method: 'notifications/resources/list_changed' });

/** What a subscriber gives: how to deliver a notification, and what to do when the hub closes. */
export interface HubSubscriber {
  notify(notification: ServerNotification): void;
  /** The hub closed (the server shuts down): end the stream cleanly. */
  close?(): void;
}

/** Publishes notifications to every subscriber, in order. */
export interface NotificationHub {
  publish(notification: ServerNotification): void;
  /** Adds a subscriber; returns an idempotent unsubscribe. */
  subscribe(subscriber: HubSubscriber): () => void;
  readonly subscriberCount: number;
  /** Tells every subscriber the hub is closing, and drops them; later publishes go nowhere. */
  close(): void;
}

/** A new hub. A subscriber that throws is reported to `onError` and does not stop the others. */
export function createNotificationHub(onError: (error: unknown) => void = () => {}): NotificationHub {
  const subscribers = new Set<HubSubscriber>();
  let closed = false;
  return {
    publish(notification) {
      if (closed) return;
      for (const subscriber of [...subscribers]) {
        try {
          subscriber.notify(notification);
        } catch (error) {
          onError(error);
        }
      }
    },
    subscribe(subscriber) {
      if (closed) {
        subscriber.close?.();
        return () => {};
      }
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },
    get subscriberCount() {
      return subscribers.size;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const subscriber of [...subscribers]) {
        try {
          subscriber.close?.();
        } catch (error) {
          onError(error);
        }
      }
      subscribers.clear();
    },
  };
}
