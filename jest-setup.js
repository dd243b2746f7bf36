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
