// Jest setup provided by Grafana scaffolding
import { configure } from '@testing-library/react';
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

// jsdom works out the whole CSS cascade on every getComputedStyle call (each rule of every
// stylesheet matched against the element), about 15 ms a call against Grafana's emotion styles
// on a loaded machine, and @grafana/ui's focus management and positioning (floating-ui,
// react-aria) and Testing Library's role queries call it thousands of times: page tests took
// seconds per step. Nothing else can change a computed style in jsdom (no layout, no media), so
// the answer is kept until the document or a stylesheet changes: any DOM mutation, seen
// synchronously through takeRecords(), or a different number of CSSOM rules (insertRule).
const computeStyle = window.getComputedStyle;
const styleChanges = new MutationObserver(() => undefined);
styleChanges.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
let computedStyles = new WeakMap();
let ruleCount = -1;
window.getComputedStyle = function getComputedStyle(element, pseudoElement) {
  const rules = Array.prototype.reduce.call(document.styleSheets, (n, sheet) => n + sheet.cssRules.length, 0);
  if (styleChanges.takeRecords().length > 0 || rules !== ruleCount) {
    computedStyles = new WeakMap();
    ruleCount = rules;
  }
  const key = pseudoElement || '';
  let perElement = computedStyles.get(element);
  if (!perElement) {
    perElement = new Map();
    computedStyles.set(element, perElement);
  }
  if (!perElement.has(key)) {
    perElement.set(key, computeStyle.call(this, element, pseudoElement));
  }
  return perElement.get(key);
};

// A page test renders Grafana's real components (Drawer, Combobox, floating-ui positioning): a
// second or two of CPU on an idle machine, several times that on a shared CI machine whose two
// cores are busy. Tests wait for conditions, so a generous bound costs nothing when they pass.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });
