import { requireBinary } from './peers';

describe('requireBinary', () => {
  it('finds installed binaries, including ones under /usr/sbin', () => {
    expect(requireBinary('sh', 'dash')).toMatch(/\/sh$/);
  });

  it('fails (never skips) naming the package to install when a peer is missing', () => {
    expect(() => requireBinary('no-such-syslog-sender', 'no-such-package')).toThrow(
      'no-such-syslog-sender is not installed; this test needs a real no-such-syslog-sender: apt-get install no-such-package',
    );
  });
});
