import { hostAllowed, hostHeaderName, hostPolicy } from './hosts';

describe('the Host names the API answers to', () => {
  it('are the loopback names when it listens on a loopback address', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
      const policy = hostPolicy({ host });
      expect(hostAllowed(policy, 'localhost:8089')).toBe(true);
      expect(hostAllowed(policy, '127.0.0.1:8089')).toBe(true);
      expect(hostAllowed(policy, '[::1]:8089')).toBe(true);
      expect(hostAllowed(policy, 'attacker.example:8089')).toBe(false);
      expect(hostAllowed(policy, undefined)).toBe(false);
    }
    expect(hostAllowed(hostPolicy({ host: '127.0.0.2' }), '127.0.0.2')).toBe(true);
  });

  it('are any name when it listens on another address (the network decides who reaches it)', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'lookback']) {
      expect(hostAllowed(hostPolicy({ host }), 'lookback:8089')).toBe(true);
    }
  });

  it('are the configured ones when listen.allowedHosts is set, `*` meaning any', () => {
    const policy = hostPolicy({ host: '0.0.0.0', allowedHosts: ['lookback', 'Lookback.Internal', '[fd00::1]'] });
    expect(hostAllowed(policy, 'lookback:8089')).toBe(true);
    expect(hostAllowed(policy, 'LOOKBACK.internal.')).toBe(true);
    expect(hostAllowed(policy, '[fd00::1]:8089')).toBe(true);
    expect(hostAllowed(policy, 'localhost:8089')).toBe(false);
    expect(hostAllowed(hostPolicy({ host: '127.0.0.1', allowedHosts: ['*'] }), 'anything.example')).toBe(true);
  });

  it('reads the name out of a Host header', () => {
    expect(hostHeaderName('Example.COM:8089')).toBe('example.com');
    expect(hostHeaderName('[::1]:8089')).toBe('::1');
    expect(hostHeaderName('[::1]')).toBe('::1');
    expect(hostHeaderName('')).toBeUndefined();
    expect(hostHeaderName(':8089')).toBeUndefined();
    expect(hostHeaderName('a:b:c')).toBeUndefined();
  });
});
