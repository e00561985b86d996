import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { lookup } from 'node:dns/promises';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { OutboundRefusal, type OutboundRules } from '../../server/platform/outbound-address.ts';
import { fetchOutbound, type OutboundLimits } from '../../server/platform/outbound-fetch.ts';
import { startPageServer, type PageServer } from '../support/page-server.ts';

/** Every client socket this process opens while a test runs: a refusal must leave this empty. */
const sockets: unknown[] = [];
const onSocket = (message: unknown) => sockets.push(message);

const LIMITS: OutboundLimits = { maxBytes: 100_000, connectTimeoutMs: 2000, totalTimeoutMs: 1500, maxRedirects: 3 };
/** Names the tests resolve themselves: nothing is asked of a DNS server, nothing leaves 127.0.0.0/8. */
const NAMES: Record<string, { address: string; family: number }[]> = {
  'intranet.example': [{ address: '10.20.30.40', family: 4 }],
  'mixed.example': [
    { address: '93.184.215.14', family: 4 },
    { address: '192.168.0.10', family: 4 },
  ],
  'metadata.example': [{ address: 'fd00:ec2::254', family: 6 }],
};
/** The test's names, and the system's resolver for localhost (from /etc/hosts: no network either). */
const resolve = async (host: string) => {
  if (host === 'localhost') return await lookup(host, { all: true, verbatim: true });
  const found = NAMES[host];
  if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return found;
};

describe('the outbound guard', () => {
  let server: PageServer;
  const allowLocal: OutboundRules = { allowHosts: ['127.0.0.1'], resolve };
  const byDefault: OutboundRules = { allowHosts: [], resolve };

  before(async () => {
    diagnostics.subscribe('net.client.socket', onSocket);
    server = await startPageServer({
      '/page': (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>hello</p>'),
      '/to-private': (_q, res) => res.writeHead(302, { location: 'http://10.0.0.1/admin' }).end(),
      '/to-metadata': (_q, res) => res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      '/to-localhost-name': (_q, res, s) => res.writeHead(307, { location: `http://localhost:${s.port}/page` }).end(),
      '/loop': (_q, res) => res.writeHead(302, { location: '/loop' }).end(),
      '/gzip-bomb': (_q, res) => res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(zlib.gzipSync(Buffer.alloc(5_000_000, 0x20))),
      '/stall': (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).write('<p>'),
    });
  });
  after(async () => {
    diagnostics.unsubscribe('net.client.socket', onSocket);
    await server.close();
  });

  const refusedBeforeConnecting = async (address: string, rules: OutboundRules, code: OutboundRefusal['code'], message: RegExp) => {
    sockets.length = 0;
    const requested = server.requests.length;
    const err = await fetchOutbound(address, rules, LIMITS).then(
      () => assert.fail(`${address} was fetched`),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OutboundRefusal, `${address}: ${String(err)}`);
    assert.equal(err.code, code, `${address}: ${err.message}`);
    assert.match(err.message, message);
    assert.equal(sockets.length, 0, `${address}: no connection was opened`);
    assert.equal(server.requests.length, requested, `${address}: the local server was not asked`);
  };

  const REFUSED: [string, RegExp][] = [
    ['http://127.0.0.1:PORT/page', /loopback/],
    ['http://localhost:PORT/page', /at (127\.0\.0\.1|::1), this machine itself/],
    ['http://10.1.2.3/', /a private network/],
    ['http://172.16.5.4/', /a private network/],
    ['http://172.31.255.1/', /a private network/],
    ['http://192.168.1.1/', /a private network/],
    ['http://169.254.169.254/latest/meta-data/', /link-local address \(such as a cloud metadata service\)/],
    ['http://[::1]:PORT/page', /loopback/],
    ['http://[::ffff:127.0.0.1]:PORT/page', /loopback/],
    ['http://[fc00::1]/', /unique-local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://0.0.0.0:PORT/', /unspecified/],
    ['http://224.0.0.1/', /multicast/],
    ['http://2130706433:PORT/page', /loopback/],
    ['http://0x7f.0.0.1:PORT/page', /loopback/],
    ['http://intranet.example/', /intranet\.example is at 10\.20\.30\.40, a private network/],
    ['http://mixed.example/', /at 192\.168\.0\.10, a private network/],
    ['http://metadata.example/', /unique-local/],
  ];
  for (const [template, message] of REFUSED) {
    test(`by default, ${template.replace(':PORT', '')} is refused before any connection`, async () => {
      await refusedBeforeConnecting(template.replace('PORT', String(server.port)), byDefault, 'address', message);
    });
  }

  test('schemes other than http and https, and addresses with credentials, are refused before any connection', async () => {
    await refusedBeforeConnecting('file:///etc/passwd', byDefault, 'scheme', /Only http:\/\/ and https:\/\//);
    await refusedBeforeConnecting('gopher://127.0.0.1:70/', byDefault, 'scheme', /Only http/);
    await refusedBeforeConnecting('http://user:secret@example.com/', byDefault, 'credentials', /user name or password/);
    await refusedBeforeConnecting('http://nowhere.invalid/', byDefault, 'unresolvable', /No server called nowhere\.invalid/);
  });

  test('a host the admin allows is fetched; a redirect from it to a private address is refused before following it', async () => {
    const ok = await fetchOutbound(`${server.origin}/page`, allowLocal, LIMITS);
    assert.equal(ok.body.toString(), '<p>hello</p>');
    assert.equal(ok.charset, 'utf-8');
    for (const path of ['/to-private', '/to-metadata', '/to-localhost-name']) {
      sockets.length = 0;
      const err = await fetchOutbound(`${server.origin}${path}`, allowLocal, LIMITS).catch((e: unknown) => e);
      assert.ok(err instanceof OutboundRefusal && err.code === 'address', `${path}: ${String(err)}`);
      assert.equal(sockets.length, 1, `${path}: only the allowed host was connected to`);
    }
  });

  test('redirects are followed a few times only; a gzip bomb, a body past the limit and a stalled answer are stopped', async () => {
    const loop = await fetchOutbound(`${server.origin}/loop`, allowLocal, LIMITS).catch((e: unknown) => e);
    assert.ok(loop instanceof OutboundRefusal && loop.code === 'redirects', String(loop));
    assert.equal(server.requests.filter((r) => r === '/loop').length, LIMITS.maxRedirects + 1);
    const bomb = await fetchOutbound(`${server.origin}/gzip-bomb`, allowLocal, LIMITS).catch((e: unknown) => e);
    assert.ok(bomb instanceof OutboundRefusal && bomb.code === 'too_large', String(bomb));
    const stall = await fetchOutbound(`${server.origin}/stall`, allowLocal, LIMITS).catch((e: unknown) => e);
    assert.ok(stall instanceof OutboundRefusal && stall.code === 'timeout', String(stall));
    assert.match(stall.message, /took longer than 1\.5 seconds/);
  });
});
