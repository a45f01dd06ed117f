/**
 * A comlink Endpoint over a Node worker_threads Worker or MessagePort: Node delivers the message data itself to
 * 'message' listeners, comlink expects a MessageEvent-like `{ data }`.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import type { Endpoint } from 'comlink';

type Listener = EventListenerOrEventListenerObject;

/** Wraps a Node port so comlink can `wrap` or `expose` over it. */
export function nodeEndpoint(port: Worker | MessagePort): Endpoint {
  const bound = new Map<Listener, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => port.postMessage(message, transfer as never),
    addEventListener: (_type: string, listener: Listener) => {
      const forward = (data: unknown): void => {
        const event = { data } as MessageEvent;
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      };
      bound.set(listener, forward);
      port.on('message', forward);
    },
    removeEventListener: (_type: string, listener: Listener) => {
      const forward = bound.get(listener);
      if (!forward) return;
      port.off('message', forward);
      bound.delete(listener);
    },
  };
}
