import { createPrivateKey, createPublicKey, generateKeyPair, randomUUID, sign, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
/**
 * A stand-in for Hanko in e2e tests: serves `/.well-known/jwks.json` on 127.0.0.1 (ephemeral port)
 * and mints Hanko-shaped session tokens signed with RSA keys like Hanko's. For tests only; never
 * imported by the main entry point. Subclass and override `handle()` to simulate outages.
 */
export class HankoTestIssuer {
    options;
    /** Every key that can sign, newest last; `published` decides which ones the JWKS lists. */
    keys = [];
    published = new Set();
    /** How many times the JWKS was requested. */
    jwksRequests = 0;
    /** How many times /sessions/validate was called, by method. */
    validateRequests = { GET: 0, POST: 0 };
    /** Sessions ended server-side (logout, admin, limits): their tokens still verify, Hanko says not alive. */
    revokedSessions = new Set();
    /** Cache-Control sent with the JWKS; Hanko sends max-age=600. */
    cacheControl = 'max-age=600';
    sockets = new Set();
    server;
    port = 0;
    constructor(options = {}) {
        this.options = options;
    }
    /** Starts an issuer with one published RSA key. */
    static async start(options = {}) {
        const issuer = new this(options);
        await issuer.addKey({ modulusLength: options.modulusLength });
        await issuer.listen();
        return issuer;
    }
    get audience() {
        return this.options.audience ?? ['localhost'];
    }
    /** The value for HankoAuthModule's `apiUrl`. */
    get apiUrl() {
        const scheme = this.options.tls ? 'https' : 'http';
        return `${scheme}://127.0.0.1:${this.port}${this.options.pathPrefix ?? ''}`;
    }
    get jwksUrl() {
        return `${this.apiUrl}/.well-known/jwks.json`;
    }
    /** Adds a key (generated, or given as a private JWK/KeyObject); published unless `publish: false`. */
    async addKey(options = {}) {
        const privateKey = options.privateKey === undefined
            ? await generateRsaKey(options.modulusLength ?? 4096)
            : 'asymmetricKeyType' in options.privateKey
                ? options.privateKey
                : createPrivateKey({ key: options.privateKey, format: 'jwk' });
        const kid = options.kid ?? randomUUID();
        const publicJwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), alg: 'RS256', kid, use: 'sig' };
        const key = { kid, privateKey, publicJwk };
        this.keys.push(key);
        if (options.publish !== false)
            this.published.add(kid);
        return key;
    }
    /** Ends a session the way Hanko's logout or admin API would: its JWTs keep verifying until exp. */
    revokeSession(sessionId) {
        this.revokedSessions.add(sessionId);
    }
    /** Hanko's answer to /sessions/validate for a token (its documented shape). */
    validateSession(token) {
        const claims = token === undefined ? undefined : this.verifyOwnToken(token);
        if (!claims || typeof claims.session_id !== 'string' || this.revokedSessions.has(claims.session_id))
            return { is_valid: false };
        const expiration = new Date(Number(claims.exp) * 1000).toISOString();
        return {
            is_valid: true,
            claims: { subject: claims.sub, session_id: claims.session_id, expiration, issued_at: new Date(Number(claims.iat) * 1000).toISOString() },
            expiration_time: expiration,
            user_id: claims.sub,
        };
    }
    /** The claims of a token this issuer signed and that has not expired, else undefined. */
    verifyOwnToken(token) {
        try {
            const [h, p, sig] = token.split('.');
            const header = JSON.parse(Buffer.from(h, 'base64url').toString());
            const key = this.keys.find((k) => k.kid === header.kid);
            if (!key || header.alg !== 'RS256')
                return undefined;
            if (!verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(key.privateKey), Buffer.from(sig, 'base64url')))
                return undefined;
            const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
            return typeof claims.exp === 'number' && claims.exp > Date.now() / 1000 ? claims : undefined;
        }
        catch {
            return undefined;
        }
    }
    removeKey(kid) {
        this.published.delete(kid);
    }
    /** The JWKS document Hanko would publish right now. */
    jwks() {
        return { keys: this.keys.filter((k) => this.published.has(k.kid)).map((k) => k.publicJwk) };
    }
    /** Claims of a live session, as Hanko would mint them now. */
    sessionClaims(overrides = {}) {
        const now = Math.floor(Date.now() / 1000);
        return withoutUndefined({
            sub: randomUUID(),
            session_id: randomUUID(),
            iat: now,
            exp: now + 12 * 3600,
            aud: this.audience,
            ...(this.options.issuer !== undefined ? { iss: this.options.issuer } : {}),
            amr: ['passkey'],
            email: { address: 'user@example.com', is_primary: true, is_verified: true },
            username: 'johndoe',
            ...overrides,
        });
    }
    /** A valid Hanko session token; `claims` override or (with undefined) remove claims. */
    sign(claims = {}, options = {}) {
        return this.signPayload(this.sessionClaims(claims), options);
    }
    /** A Hanko webhook token: same key and audience as sessions, sub "hanko webhooks", no session_id. */
    signWebhook(options = {}) {
        const now = Math.floor(Date.now() / 1000);
        return this.signPayload(withoutUndefined({
            aud: this.audience,
            data: { user_id: randomUUID() },
            evt: 'user.create',
            exp: now + 300,
            iat: now,
            iss: this.options.issuer,
            sub: 'hanko webhooks',
        }), options);
    }
    /** Signs any payload (an object, or raw JSON text for malformed-token tests) with RS256. */
    signPayload(payload, options = {}) {
        const key = options.kid === undefined ? this.keys[this.keys.length - 1] : this.keys.find((k) => k.kid === options.kid);
        if (!key)
            throw new Error(`HankoTestIssuer: no key ${options.kid}`);
        const header = withoutUndefined({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...options.header });
        const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
        const input = `${b64url(JSON.stringify(header))}.${b64url(body)}`;
        return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
    }
    async close() {
        for (const socket of this.sockets)
            socket.destroy();
        await new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
        this.server = undefined;
    }
    /** Starts listening (again, on the same port after close() when possible). */
    async listen() {
        const handler = (req, res) => this.handle(req, res);
        const server = this.options.tls ? createTlsServer(this.options.tls, handler) : createServer(handler);
        server.on('connection', (socket) => {
            this.sockets.add(socket);
            socket.on('close', () => this.sockets.delete(socket));
        });
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.port, '127.0.0.1', () => resolve());
        });
        this.port = server.address().port;
        this.server = server;
    }
    /** Routes a request; override to simulate a misbehaving Hanko. */
    handle(req, res) {
        const path = (req.url ?? '').split('?')[0];
        if (req.method === 'GET' && path === `${this.options.pathPrefix ?? ''}/.well-known/jwks.json`) {
            this.jwksRequests++;
            return this.serveJwks(req, res);
        }
        if (path === `${this.options.pathPrefix ?? ''}/sessions/validate` && (req.method === 'GET' || req.method === 'POST')) {
            this.validateRequests[req.method]++;
            return this.serveSessionValidation(req, res);
        }
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":404,"message":"Not Found"}');
    }
    /** GET with a Bearer token, or POST with {"session_token"}; a POST without it is a 400, as in Hanko. */
    serveSessionValidation(req, res) {
        const reply = (status, body) => {
            res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        };
        if (req.method === 'GET') {
            const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
            return reply(200, this.validateSession(match?.[1]));
        }
        let body = '';
        req.on('data', (chunk) => (body += chunk.toString()));
        req.on('end', () => {
            let token;
            try {
                token = JSON.parse(body).session_token;
            }
            catch {
                token = undefined;
            }
            if (typeof token !== 'string' || token === '')
                return reply(400, { code: 400, message: 'Bad Request' });
            reply(200, this.validateSession(token));
        });
    }
    serveJwks(_req, res) {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': this.cacheControl }).end(JSON.stringify(this.jwks()));
    }
}
function generateRsaKey(modulusLength) {
    return new Promise((resolve, reject) => generateKeyPair('rsa', { modulusLength }, (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey))));
}
function b64url(text) {
    return Buffer.from(text).toString('base64url');
}
function withoutUndefined(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
//# sourceMappingURL=hanko-test-issuer.js.map