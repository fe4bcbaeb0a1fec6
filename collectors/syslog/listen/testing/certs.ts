/** A throwaway PKI for TLS listener tests: a CA, a server certificate and client certificates. */
import { generate } from 'selfsigned';

export interface TestPki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate that chains to no CA the server knows. */
  strangerCert: string;
  strangerKey: string;
}

export const CLIENT_CN = 'fw-hanoi-01';

export async function makeTestPki(): Promise<TestPki> {
  const soon = new Date(Date.now() - 60_000);
  const later = new Date(Date.now() + 24 * 3600_000);
  const base = { keyType: 'ec' as const, algorithm: 'sha256', notBeforeDate: soon, notAfterDate: later };
  const ca = await generate([{ name: 'commonName', value: 'socnoc test CA' }], {
    ...base,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const caPair = { key: ca.private, cert: ca.cert };
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...base,
    ca: caPair,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  const client = await generate([{ name: 'commonName', value: CLIENT_CN }], {
    ...base,
    ca: caPair,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  const stranger = await generate([{ name: 'commonName', value: 'stranger' }], base);
  return {
    caCert: ca.cert,
    caKey: ca.private,
    serverCert: server.cert,
    serverKey: server.private,
    clientCert: client.cert,
    clientKey: client.private,
    strangerCert: stranger.cert,
    strangerKey: stranger.private,
  };
}
