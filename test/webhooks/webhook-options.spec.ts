import { describe, expect, it } from '@jest/globals';
import { HankoConfigurationError, OnHankoEvent, type HankoAuthOptions, type HankoEvent, type HankoEventFor } from '../../src/index.js';
import { HankoAuthConfig } from '../../src/hanko-auth.config.js';
import { HankoRevocationMarks } from '../../src/webhooks/hanko-revocation.marks.js';
import { boundedMark, revocationFor } from '../../src/webhooks/hanko-revocation.policy.js';
import { eventMatches } from '../../src/webhooks/hanko-webhook.events.js';
import type { HankoUser } from '../../src/session/hanko-user.js';

const base = { apiUrl: 'http://127.0.0.1:1', audience: 'localhost' };
const config = (webhooks: unknown) => new HankoAuthConfig({ ...base, webhooks } as HankoAuthOptions);

describe('webhooks options, validated at bootstrap', () => {
  it('are off by default; true means the defaults', () => {
    expect(new HankoAuthConfig(base).webhooks).toBe(false);
    expect(config(true).webhooks).toEqual({ path: '/hanko/webhooks', maxBodyBytes: 102400, sessionLifespan: 43200, redis: undefined });
    expect(config({ path: '/a/b', redis: { url: 'rediss://:pw@redis.internal:6380/2' } }).webhooks).toMatchObject({
      path: '/a/b',
      redis: { url: 'rediss://:pw@redis.internal:6380/2' },
    });
  });

  it.each([
    ['a misspelt key', { pth: '/x' }, 'webhooks.pth'],
    ['a relative path', { path: 'hooks' }, 'webhooks.path'],
    ['a route pattern', { path: '/hooks/:id' }, 'webhooks.path'],
    ['a wildcard', { path: '/hooks/*' }, 'webhooks.path'],
    ['a tiny body limit', { maxBodyBytes: 10 }, 'webhooks.maxBodyBytes'],
    ['a lifespan of 0', { sessionLifespan: 0 }, 'webhooks.sessionLifespan'],
    ['an http URL for Redis', { redis: { url: 'http://127.0.0.1:6379' } }, 'webhooks.redis.url'],
    ['Redis without a URL', { redis: {} }, 'webhooks.redis.url'],
    ['an unknown Redis option', { redis: { url: 'redis://x', tls: true } }, 'webhooks.redis.tls'],
    ['a string', 'yes', 'webhooks'],
  ])('refuse %s, naming the option', (_name, webhooks, option) => {
    expect(() => config(webhooks)).toThrow(HankoConfigurationError);
    expect(() => config(webhooks)).toThrow(option);
  });
});

describe('revocation marks', () => {
  const user = (id: string, sessionId: string, iat: number) => ({ id, sessionId, claims: { iat } }) as unknown as HankoUser;

  it('a session mark refuses that session; a user mark refuses sessions issued up to the deletion', () => {
    const marks = new HankoRevocationMarks();
    const now = Date.now();
    expect(marks.isRevoked(user('u1', 's1', 100))).toBe(false);
    expect(marks.add({ kind: 'session', id: 's1', until: now + 60_000 })).toBe(true);
    expect(marks.add({ kind: 'session', id: 's1', until: now + 60_000 })).toBe(false); // a replay shares nothing
    expect(marks.add({ kind: 'user', id: 'u2', before: 200, until: now + 60_000 })).toBe(true);
    expect(marks.isRevoked(user('u1', 's1', 100))).toBe(true);
    expect(marks.isRevoked(user('u1', 's2', 100))).toBe(false);
    expect(marks.isRevoked(user('u2', 's3', 200))).toBe(true);
    expect(marks.isRevoked(user('u2', 's4', 201))).toBe(false);
    marks.onModuleDestroy();
  });

  it('live no longer than a token they refuse could be accepted', () => {
    const marks = new HankoRevocationMarks();
    const now = Date.now();
    expect(marks.add({ kind: 'session', id: 'gone', until: now - 1 })).toBe(false);
    marks.add({ kind: 'session', id: 's1', until: now + 1_000 });
    marks.add({ kind: 'user', id: 'u1', before: 1, until: now + 1_000 });
    marks.sweep(now + 999);
    expect(marks.size).toBe(2);
    marks.sweep(now + 1_000);
    expect(marks.size).toBe(0);
  });

  it('session.delete lasts until expires_at plus the clock tolerance; user.delete one lifespan after the deletion', () => {
    const timing = { sessionLifespan: 3600, clockTolerance: 30 };
    const issuedAt = new Date(1_700_000_000_000);
    const session = {
      event: 'session.delete.explicit.logout',
      data: { id: 's', user_id: 'u', expires_at: '2030-01-01T00:00:00Z' },
      issuedAt,
    };
    expect(revocationFor(session as HankoEvent, timing)).toEqual({
      kind: 'session',
      id: 's',
      until: Date.parse('2030-01-01T00:00:00Z') + 31_000,
    });
    const noExpiry = { ...session, data: { id: 's', user_id: 'u' } };
    expect(revocationFor(noExpiry as HankoEvent, timing, 1_000)).toEqual({ kind: 'session', id: 's', until: 1_000 + 3_630_000 });
    const deletion = { event: 'user.delete', data: { id: 'u' }, issuedAt };
    expect(revocationFor(deletion as HankoEvent, timing)).toEqual({
      kind: 'user',
      id: 'u',
      before: 1_700_000_000,
      until: 1_700_000_000_000 + 3_630_000,
    });
    expect(revocationFor({ event: 'session.create.flow', data: { id: 's' }, issuedAt } as HankoEvent, timing)).toBeUndefined();
    expect(revocationFor({ event: 'user.delete', data: {}, issuedAt } as unknown as HankoEvent, timing)).toBeUndefined();
  });

  it('a mark from Redis is honoured no further than a real one could reach (whoever can write Redis cannot lock a user out for good)', () => {
    const timing = { sessionLifespan: 3600, clockTolerance: 30 };
    const now = 1_700_000_000_000;
    const forgedSession = { kind: 'session' as const, id: 's', until: 1e15 };
    expect(boundedMark(forgedSession, timing, now)).toEqual({ kind: 'session', id: 's', until: now + 3_631_000 });
    const forgedUser = { kind: 'user' as const, id: 'u', before: 1e12, until: 1e15 };
    expect(boundedMark(forgedUser, timing, now)).toEqual({ kind: 'user', id: 'u', before: 1_700_000_030, until: now + 3_631_000 });
    // What a real webhook produces is left as it is.
    const real = { kind: 'user' as const, id: 'u', before: 1_699_999_990, until: now + 3_000_000 };
    expect(boundedMark(real, timing, now)).toEqual(real);
  });
});

describe('event names', () => {
  it('match like Hanko subscriptions: the event itself or a dot-separated prefix', () => {
    expect(eventMatches('session.delete.explicit.logout', 'session.delete')).toBe(true);
    expect(eventMatches('session.delete.explicit.logout', 'session')).toBe(true);
    expect(eventMatches('user.update.email.primary', 'user.update.email.primary')).toBe(true);
    expect(eventMatches('user.update.username.create', 'user.update.user')).toBe(false);
    expect(eventMatches('user.create', 'user.update')).toBe(false);
    expect(eventMatches('user', 'user.create')).toBe(false);
  });

  it('type handlers by their subscription', () => {
    class Handlers {
      @OnHankoEvent('session.delete')
      ended(event: HankoEventFor<'session.delete'>) {
        return event.data.expires_at;
      }

      // @ts-expect-error a session.delete subscription also gets other delete events than logout
      @OnHankoEvent('session.delete')
      tooNarrow(event: HankoEvent<'session.delete.explicit.logout'>) {
        return event;
      }

      // @ts-expect-error user events are no sessions
      @OnHankoEvent('user.create')
      wrongKind(event: HankoEvent<'session.create.flow'>) {
        return event;
      }

      @OnHankoEvent('user.create', 'user.update')
      either(event: HankoEventFor<'user.create' | 'user.update'>) {
        return event;
      }
    }
    expect(Handlers).toBeDefined();
  });
});
