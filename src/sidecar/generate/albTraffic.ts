import { albLine, type AlbRequest } from './alb';
import { consumerIp, scannerIp } from './network';
import type { Random } from './random';
import type { LogItem } from './logItem';
import type { LoadBalancer } from './world';

// Ordinary traffic to the shop: shoppers, crawlers, scanners, redirects and the odd error.

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
];
const BOTS = [
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', '66.249'],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', '157.55'],
  ['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', '54.36'],
] as const;
const SCANNER_AGENTS = [
  'Mozilla/5.0 zgrab/0.x',
  'python-requests/2.31.0',
  'Go-http-client/1.1',
  'curl/8.5.0',
  'Mozilla/5.0 (l9scan/2.0.4; +https://leakix.net)',
];
const SCANNER_PATHS = [
  '/.env',
  '/wp-login.php',
  '/.git/config',
  '/admin',
  '/phpmyadmin/',
  '/actuator/env',
  '/cgi-bin/luci',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/xmlrpc.php',
  '/.aws/credentials',
  '/server-status',
];
const WORDS = ['shoes', 'jacket', 'lamp', 'coffee', 'headphones', 'backpack', 'desk', 'socks', 'kettle', 'mug', 'tent', 'watch'];
const PREVIEW_SITES = [
  'https://www.youtube.com/watch?v=',
  'https://twitter.com/shop/status/',
  'https://www.instagram.com/p/',
  'https://blog.example.org/posts/',
];

interface Route {
  method: string;
  path(random: Random): string;
  status(random: Random): number;
  bytes(random: Random): number;
  received?(random: Random): number;
  priority: number;
}

const ok = (codes: Array<[number, number]>) => (random: Random) => {
  let x = random.next();
  for (const [code, p] of codes) {
    if ((x -= p) < 0) {
      return code;
    }
  }
  return 200;
};
const size = (min: number, max: number) => (random: Random) => random.int(min, max);

const ROUTES: Array<[Route, number]> = [
  [{ method: 'GET', path: () => '/', status: ok([[304, 0.05]]), bytes: size(9_000, 32_000), priority: 0 }, 10],
  [
    {
      method: 'GET',
      path: (r) => `/products/${r.int(1000, 9999)}`,
      status: ok([[404, 0.02]]),
      bytes: size(14_000, 48_000),
      priority: 0,
    },
    18,
  ],
  [
    {
      method: 'GET',
      path: (r) => `/category/${r.pick(WORDS)}?page=${r.int(1, 6)}`,
      status: ok([]),
      bytes: size(12_000, 40_000),
      priority: 0,
    },
    6,
  ],
  [
    {
      method: 'GET',
      path: (r) => `/static/js/app.${r.hex(8)}.js`,
      status: ok([[304, 0.35]]),
      bytes: size(60_000, 260_000),
      priority: 2,
    },
    10,
  ],
  [
    {
      method: 'GET',
      path: (r) => `/static/css/main.${r.hex(8)}.css`,
      status: ok([[304, 0.35]]),
      bytes: size(8_000, 40_000),
      priority: 2,
    },
    6,
  ],
  [
    {
      method: 'GET',
      path: (r) => `/images/products/${r.int(1000, 9999)}-${r.int(1, 4)}.jpg`,
      status: ok([[304, 0.2]]),
      bytes: size(18_000, 320_000),
      priority: 2,
    },
    16,
  ],
  [{ method: 'GET', path: () => '/api/cart', status: ok([]), bytes: size(300, 2_400), priority: 1 }, 6],
  [
    {
      method: 'POST',
      path: () => '/api/cart/items',
      status: ok([[400, 0.02]]),
      bytes: size(200, 900),
      received: size(400, 1_200),
      priority: 1,
    },
    3,
  ],
  [
    {
      method: 'GET',
      path: (r) => `/api/search?q=${r.pick(WORDS)}`,
      status: ok([]),
      bytes: size(1_500, 12_000),
      priority: 1,
    },
    5,
  ],
  [
    {
      method: 'POST',
      path: () => '/api/checkout',
      status: ok([
        [402, 0.04],
        [400, 0.02],
        [500, 0.004],
      ]),
      bytes: size(300, 1_200),
      received: size(900, 2_600),
      priority: 1,
    },
    1,
  ],
  [
    {
      method: 'POST',
      path: () => '/api/login',
      status: ok([[401, 0.08]]),
      bytes: size(200, 700),
      received: size(500, 900),
      priority: 1,
    },
    1.5,
  ],
  [
    {
      method: 'GET',
      path: (r) => `/api/preview?url=${encodeURIComponent(r.pick(PREVIEW_SITES) + r.hex(11))}`,
      status: ok([[502, 0.01]]),
      bytes: size(600, 3_000),
      priority: 1,
    },
    1,
  ],
  [{ method: 'GET', path: () => '/account/orders', status: ok([[302, 0.3]]), bytes: size(4_000, 22_000), priority: 0 }, 2],
  [{ method: 'GET', path: () => '/favicon.ico', status: ok([[304, 0.5]]), bytes: size(1_150, 1_150), priority: 2 }, 3],
];
const ROUTE_WEIGHT_TOTAL = ROUTES.reduce((sum, [, w]) => sum + w, 0);

function route(random: Random): Route {
  let x = random.next() * ROUTE_WEIGHT_TOTAL;
  for (const [r, w] of ROUTES) {
    if ((x -= w) < 0) {
      return r;
    }
  }
  return ROUTES[0][0];
}

/** Ordinary traffic to a site: shoppers, crawlers, scanners, errors. */
export function backgroundRequest(lb: LoadBalancer, random: Random, time: number): AlbRequest {
  const kind = random.next();
  let client: string;
  let userAgent: string;
  let method: string;
  let path: string;
  let status: number;
  let sent: number;
  let received = random.int(180, 900);
  let priority: number;
  if (kind < 0.05) {
    client = scannerIp(random);
    userAgent = random.pick(SCANNER_AGENTS);
    method = 'GET';
    path = random.pick(SCANNER_PATHS);
    status = 404;
    sent = random.int(300, 700);
    priority = 0;
  } else {
    if (kind < 0.12) {
      const [agent, prefix] = random.pick(BOTS);
      client = `${prefix}.${random.int(64, 79)}.${random.int(1, 254)}`;
      userAgent = agent;
    } else {
      client = kind < 0.9 ? lb.clients.pick(random) : consumerIp(random);
      userAgent = random.pick(BROWSERS);
    }
    const r = route(random);
    method = r.method;
    path = r.path(random);
    status = r.status(random);
    sent = status === 304 ? random.int(150, 400) : r.bytes(random);
    received = r.received ? r.received(random) : received;
    priority = r.priority;
  }
  const protocol = random.chance(0.025) ? 'http' : random.chance(0.2) ? 'h2' : 'https';
  if (protocol === 'http') {
    return {
      protocol,
      time,
      client,
      clientPort: random.int(1024, 65535),
      target: null,
      requestProcessing: -1,
      targetProcessing: -1,
      responseProcessing: -1,
      elbStatus: 301,
      targetStatus: null,
      receivedBytes: received,
      sentBytes: random.int(180, 260),
      method,
      path,
      userAgent,
      rulePriority: 0,
      actions: 'redirect',
      redirectUrl: `https://${lb.domain}:443${path}`,
    };
  }
  const target = random.pick(lb.targets);
  if (random.chance(0.0015)) {
    status = 504;
  }
  if (status === 502 || status === 504) {
    return {
      protocol,
      time,
      client,
      clientPort: random.int(1024, 65535),
      target,
      requestProcessing: 0,
      targetProcessing: -1,
      responseProcessing: -1,
      elbStatus: status,
      targetStatus: null,
      receivedBytes: received,
      sentBytes: random.int(250, 600),
      method,
      path,
      userAgent,
      rulePriority: priority,
      actions: 'forward',
    };
  }
  return {
    protocol,
    time,
    client,
    clientPort: random.int(1024, 65535),
    target,
    requestProcessing: 0,
    targetProcessing: Math.min(9, random.exponential(path.startsWith('/api/') ? 0.08 : 0.02) + 0.001),
    responseProcessing: 0,
    elbStatus: status,
    targetStatus: status,
    receivedBytes: received,
    sentBytes: sent,
    method,
    path,
    userAgent,
    rulePriority: priority,
    actions: 'forward',
  };
}

/** `count` lines at random times in [from, to), for one load balancer node. */
export function albItems(lb: LoadBalancer, random: Random, count: number, from: number, to: number): LogItem[] {
  const items: LogItem[] = [];
  for (let i = 0; i < count; i++) {
    const time = Math.floor(from + random.next() * (to - from));
    items.push({ time, text: albLine(lb, backgroundRequest(lb, random, time), random) });
  }
  return items;
}
