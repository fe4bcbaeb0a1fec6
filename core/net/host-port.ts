/** `10.1.2.3:51514` or `[2001:db8::1]:514`: an endpoint as error details and logs print it. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
