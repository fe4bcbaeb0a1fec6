import { createSocket } from 'node:dgram';
import { hostPort } from './host-port';
import { bindUdpWithFallback, openUdpSocket, warnIfReceiveBufferShort } from './udp-bind';

describe('UDP binding', () => {
  it('binds port 0 on loopback with the receive buffer asked for', async () => {
    const socket = await openUdpSocket('udp4', '127.0.0.1', 0, 256 * 1024);
    try {
      expect(socket.address().port).toBeGreaterThan(0);
      // Linux grants twice the request when under net.core.rmem_max; never less than a default buffer.
      expect(socket.getRecvBufferSize()).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
  });

  it('names the listener and the reason when the port is taken', async () => {
    const first = await openUdpSocket('udp4', '127.0.0.1', 0, 65536);
    const port = first.address().port;
    try {
      await expect(bindUdpWithFallback('127.0.0.1', port, 65536, 'test udp listener "clash"')).rejects.toThrow(/^test udp listener "clash": cannot bind: .*EADDRINUSE/);
    } finally {
      first.close();
    }
  });

  it('binds the dual-stack address, or 0.0.0.0 with a warning where IPv6 is off', async () => {
    const warnings: string[] = [];
    const socket = await bindUdpWithFallback('::', 0, 65536, 'test udp listener', { info: () => undefined, warn: (m) => warnings.push(m) });
    try {
      if (socket.address().address === '::') {
        expect(warnings).toEqual([]);
      } else {
        expect(socket.address().address).toBe('0.0.0.0');
        expect(warnings[0]).toMatch(/^test udp listener: IPv6 unavailable/);
      }
    } finally {
      socket.close();
    }
  });

  it('tells how to raise the kernel cap only when the grant falls short', () => {
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (m: string) => warnings.push(m) };
    warnIfReceiveBufferShort(8 * 1024 * 1024, 4 * 1024 * 1024, 'netflow udp listener "udp"', 'flow bursts', logger);
    expect(warnings).toEqual([]);
    warnIfReceiveBufferShort(425984, 4194304, 'netflow udp listener "udp"', 'flow bursts', logger);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('netflow udp listener "udp": UDP receive buffer is 425984 bytes, 4194304 requested; flow bursts will be lost');
    expect(warnings[0]).toContain('sysctl -w net.core.rmem_max=4194304');
  });

  it('formats endpoints with IPv6 in brackets', () => {
    expect(hostPort('10.1.2.3', 514)).toBe('10.1.2.3:514');
    expect(hostPort('2001:db8::1', 2055)).toBe('[2001:db8::1]:2055');
  });

  it('leaves a socket of its own unaffected when another bind fails', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', () => resolve()));
    try {
      await expect(openUdpSocket('udp4', '127.0.0.1', holder.address().port, 65536)).rejects.toThrow(/EADDRINUSE/);
      expect(holder.address().port).toBeGreaterThan(0);
    } finally {
      holder.close();
    }
  });
});
