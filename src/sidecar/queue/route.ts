import type { MessageHandler, QueueMessage } from './message';

export interface Route {
  takes(message: QueueMessage): boolean;
  handler: MessageHandler;
}

/** One handler for a queue that carries more than one kind of work: each message goes to the first route that takes it, else to `fallback`. */
export function routeMessages(routes: Route[], fallback: MessageHandler): MessageHandler {
  return {
    handle(message, signal) {
      const route = routes.find((r) => r.takes(message));
      return (route?.handler ?? fallback).handle(message, signal);
    },
  };
}
