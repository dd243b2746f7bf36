// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
import { MessageChannel as NodeMessageChannel } from 'node:worker_threads';

// @grafana/ui 13 schedules work through MessageChannel, which jsdom lacks. Node's ports keep the
// process alive, so every channel is closed when the test file ends.
const channels = [];
class MessageChannel extends NodeMessageChannel {
  constructor() {
    super();
    channels.push(this);
  }
}
Object.assign(global, { MessageChannel });
afterAll(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

// jsdom lays nothing out: @grafana/ui's Text (drawer and card titles), Combobox and scroll
// containers watch their size and visibility with observers that would never fire there.
class InertObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
for (const name of ['ResizeObserver', 'IntersectionObserver']) {
  if (typeof global[name] === 'undefined') {
    global[name] = InertObserver;
  }
}

// Combobox sizes its menu from canvas text metrics; the scaffold's canvas has no context.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return { font: '', measureText: (text) => ({ width: String(text).length * 7 }) };
};
