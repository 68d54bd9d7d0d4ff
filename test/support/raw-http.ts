import { connect } from 'node:net';

/**
 * A GET written byte for byte on a socket, for what fetch and Node's client refuse to send (two
 * Authorization headers, two Cookie headers). Returns the status and the response's headers.
 */
export async function rawGet(
  url: string,
  path: string,
  headers: Array<[string, string]>,
): Promise<{ status: number; headers: Record<string, string> }> {
  const { hostname, port } = new URL(url);
  const lines = [`GET ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close', ...headers.map(([n, v]) => `${n}: ${v}`)];
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`${lines.join('\r\n')}\r\n\r\n`));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
  const [head] = text.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const parsed: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers: parsed };
}
