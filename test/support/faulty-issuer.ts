import type { IncomingMessage, ServerResponse } from 'node:http';
import { HankoTestIssuer } from '../../src/testing/index.js';

export type JwksFault = 'none' | 'hang' | 'drip' | '503' | 'html' | 'huge' | 'no-signing-keys' | 'redirect' | 'garbage';
export type SessionFault = 'none' | 'hang' | '500' | '404' | 'slow';

/** A Hanko whose key endpoint misbehaves on demand. `close()` simulates it being down. */
export class FaultyIssuer extends HankoTestIssuer {
  fault: JwksFault = 'none';
  /** Bytes written by the `huge` fault before the client gave up. */
  hugeBytesSent = 0;
  redirectTarget = 'http://127.0.0.1:9/elsewhere';
  /** How /sessions/validate misbehaves (it is counted in validateRequests either way). */
  sessionFault: SessionFault = 'none';
  /** How long the `slow` fault holds every /sessions/validate answer (ms). */
  sessionDelayMs = 300;
  /** /sessions/validate calls held by the `hang` fault that the client has given up on (closed). */
  hungCallsEnded = 0;

  protected override serveSessionValidation(req: IncomingMessage, res: ServerResponse): void {
    switch (this.sessionFault) {
      case 'hang':
        // Accept, never answer; note when the caller gives up (its timeout, or the app closing).
        res.on('close', () => this.hungCallsEnded++);
        return;
      case '500':
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":500,"message":"Internal Server Error"}');
        return;
      case '404':
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":404,"message":"Not Found"}');
        return;
      case 'slow': {
        const timer = setTimeout(() => super.serveSessionValidation(req, res), this.sessionDelayMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      default:
        super.serveSessionValidation(req, res);
    }
  }

  protected override serveJwks(req: IncomingMessage, res: ServerResponse): void {
    switch (this.fault) {
      case 'none':
        return super.serveJwks(req, res);
      case 'hang':
        return; // accept, never answer
      case 'drip': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const body = JSON.stringify(this.jwks());
        let i = 0;
        const timer = setInterval(() => {
          if (i >= body.length || res.destroyed) return clearInterval(timer);
          res.write(body[i++]);
        }, 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case '503':
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":503,"message":"Service Unavailable"}');
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": "not-a-list"}');
        return;
      case 'redirect':
        res.writeHead(302, { location: this.redirectTarget }).end();
        return;
      case 'no-signing-keys': {
        const keys = this.jwks().keys.map((k) => ({ ...(k as object), use: 'enc' }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
        return;
      }
      case 'huge': {
        // 50 MB of valid-looking JSON, streamed without a Content-Length.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        res.write('{"keys":[');
        let sent = 0;
        const pump = () => {
          while (sent < 50 * 1024 * 1024 && !res.destroyed) {
            sent += chunk.length;
            this.hugeBytesSent = sent;
            if (!res.write(chunk)) return res.once('drain', pump);
          }
          if (!res.destroyed) res.end(']}');
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
    }
  }
}
