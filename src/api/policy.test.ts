/**
 * Every decision of the policy module for every role (public, member, editor, admin, and a
 * disabled account), and that `Policy` records each refusal of a signed-in user but not of the
 * public.
 */
import { describe, expect, it } from 'vitest';
import { BimoError, type RegionLevel } from '../domain/index.ts';
import type { Indicator } from '../indicators/index.ts';
import { RegionRegistry } from '../regions/index.ts';
import type { ApiToken, NewAuditEvent, User } from '../store/index.ts';
import {
  audienceOf,
  canAdminUsers,
  canApprove,
  canCreateToken,
  canImport,
  canPublish,
  canReadAudit,
  canReadObservations,
  canRevokeToken,
  canSeeIndicator,
  canSeeRelease,
  canSeeReleaseAuthor,
  canSeeSource,
  findIndicator,
  findRelease,
  PUBLIC_VIEWER,
  roleOf,
  userViewer,
  visibleIndicators,
  type Viewer,
} from './policy.ts';
import { DENIED_ACTION, Policy } from './policy-enforce.ts';

const registry = new RegionRegistry({
  regions: [
    { code: 'DG', name: 'Deutschland', level: 'bund', parentCode: null },
    { code: '05', name: 'Nordrhein-Westfalen', level: 'land', parentCode: 'DG' },
    { code: '053', name: 'Köln', level: 'rb', parentCode: '05' },
    { code: '05358', name: 'Düren, Kreis', level: 'kreis', parentCode: '053' },
    { code: '05358008', name: 'Düren, Stadt', level: 'gemeinde', parentCode: '05358' },
    { code: '05366', name: 'Euskirchen, Kreis', level: 'kreis', parentCode: '053' },
  ].map((r) => ({
    ...r,
    level: r.level as RegionLevel,
    validFrom: null,
    validTo: null,
    additive: true,
    sameAs: null,
  })),
  groups: [],
  members: [],
});

function user(role: User['role'], extra: Partial<User> = {}): User {
  return {
    id: `id-${role}`,
    email: `${role}@kreis-dueren.de`,
    name: role,
    role,
    regions: role === 'editor' ? ['05358'] : [],
    disabled: false,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

const VIEWERS: Record<'public' | 'member' | 'editor' | 'admin' | 'disabled', Viewer> = {
  public: PUBLIC_VIEWER,
  member: userViewer(user('member'), 'session'),
  editor: userViewer(user('editor'), 'session'),
  admin: userViewer(user('admin'), 'session'),
  disabled: userViewer(user('admin', { disabled: true, email: 'off@kreis-dueren.de' }), 'session'),
};
type Who = keyof typeof VIEWERS;
const ALL: Who[] = ['public', 'member', 'editor', 'admin', 'disabled'];

/** The viewers for which `decide` is true. */
const allowed = (decide: (v: Viewer) => boolean): Who[] => ALL.filter((w) => decide(VIEWERS[w]));

const PUBLIC_IND = { id: 'D6', visibility: 'public' } as Indicator;
const INTERNAL_IND = { id: 'A2a', visibility: 'internal' } as Indicator;

describe('read decisions', () => {
  it('gives every signed-in role the member audience, the public and disabled accounts the public one', () => {
    expect(ALL.map((w) => audienceOf(VIEWERS[w]))).toEqual([
      'public',
      'member',
      'member',
      'member',
      'public',
    ]);
    expect(ALL.map((w) => roleOf(VIEWERS[w]))).toEqual([
      'public',
      'member',
      'editor',
      'admin',
      'public',
    ]);
  });

  it('shows internal indicators to signed-in accounts only', () => {
    expect(allowed((v) => canSeeIndicator(v, PUBLIC_IND))).toEqual(ALL);
    expect(allowed((v) => canSeeIndicator(v, INTERNAL_IND))).toEqual(['member', 'editor', 'admin']);
    expect(visibleIndicators(VIEWERS.public, [PUBLIC_IND, INTERNAL_IND])).toEqual([PUBLIC_IND]);
    expect(visibleIndicators(VIEWERS.member, [INTERNAL_IND, PUBLIC_IND])).toEqual([
      INTERNAL_IND,
      PUBLIC_IND,
    ]);
  });

  it('finds a hidden indicator for members and answers the public as for an unknown id', () => {
    expect(findIndicator([INTERNAL_IND], 'A2a', VIEWERS.member)).toBe(INTERNAL_IND);
    const hidden = (() => {
      try {
        findIndicator([INTERNAL_IND], 'A2a', VIEWERS.public);
      } catch (e) {
        return e as BimoError;
      }
      throw new Error('expected a refusal');
    })();
    const unknown = (() => {
      try {
        findIndicator([INTERNAL_IND], 'Z9');
      } catch (e) {
        return e as BimoError;
      }
      throw new Error('expected a refusal');
    })();
    expect(hidden).toBeInstanceOf(BimoError);
    expect(hidden.code).toBe('BIMO_E_INDICATOR_UNKNOWN');
    expect({ ...hidden, stack: '' }).toEqual({ ...unknown, stack: '' });
    expect(hidden.message).toBe(unknown.message);
    expect(JSON.stringify([hidden.message, hidden.fix, hidden.details])).not.toContain('A2a');
  });

  it('shows drafts and approved releases to signed-in accounts only', () => {
    const rel = (status: 'draft' | 'approved' | 'published', computedAt: string | null = null) =>
      ({
        id: 1,
        status,
        createdBy: 'x',
        createdAt: '',
        publishedAt: null,
        computedAt,
        note: '',
      }) as const;
    expect(allowed((v) => canSeeRelease(v, rel('published', '2026-01-01')))).toEqual(ALL);
    // Published, but its indicator values are still being computed (or the run was stopped).
    expect(allowed((v) => canSeeRelease(v, rel('published')))).toEqual([
      'member',
      'editor',
      'admin',
    ]);
    expect(allowed((v) => canSeeRelease(v, rel('approved')))).toEqual([
      'member',
      'editor',
      'admin',
    ]);
    expect(allowed((v) => canSeeRelease(v, rel('draft')))).toEqual(['member', 'editor', 'admin']);
    expect(allowed(canSeeReleaseAuthor)).toEqual(['member', 'editor', 'admin']);
    expect(findRelease(rel('draft'), VIEWERS.member).status).toBe('draft');
    expect(() => findRelease(rel('draft'), VIEWERS.public)).toThrow(
      'no release with this id is available',
    );
    expect(() => findRelease(null, VIEWERS.admin)).toThrow('no release with this id is available');
  });

  it('shows sources with their release, and raw observations to signed-in accounts only', () => {
    const signedIn: Who[] = ['member', 'editor', 'admin'];
    expect(
      allowed((v) => canSeeSource(v, { status: 'published', computedAt: '2026-01-01' })),
    ).toEqual(ALL);
    expect(allowed((v) => canSeeSource(v, { status: 'draft', computedAt: null }))).toEqual(
      signedIn,
    );
    // A source whose release cannot be found is not shown to the public.
    expect(allowed((v) => canSeeSource(v, null))).toEqual(signedIn);
    expect(allowed(canReadObservations)).toEqual(signedIn);
  });
});

describe('write decisions', () => {
  it('lets editors import their own regions and below, admins everything, nobody else anything', () => {
    expect(allowed((v) => canImport(v, ['05358'], registry))).toEqual(['editor', 'admin']);
    expect(allowed((v) => canImport(v, ['05358008', '05358'], registry))).toEqual([
      'editor',
      'admin',
    ]);
    expect(allowed((v) => canImport(v, ['05358', '05366'], registry))).toEqual(['admin']);
    expect(allowed((v) => canImport(v, ['05'], registry))).toEqual(['admin']);
    expect(allowed((v) => canImport(v, [], registry))).toEqual(['admin']);
  });

  it('keeps approving, publishing, accounts and the audit log to admins', () => {
    for (const decide of [canApprove, canPublish, canAdminUsers, canReadAudit]) {
      expect(allowed(decide)).toEqual(['admin']);
    }
  });

  it('creates tokens from browser sessions only, and revokes one’s own or (admin) any token', () => {
    expect(allowed(canCreateToken)).toEqual(['member', 'editor', 'admin']);
    expect(canCreateToken(userViewer(user('admin'), 'token'))).toBe(false);
    const own = (w: Who): Pick<ApiToken, 'userId'> => ({
      userId: VIEWERS[w].kind === 'user' ? VIEWERS[w].user.id : '',
    });
    expect(allowed((v) => canRevokeToken(v, own('member')))).toEqual(['member', 'admin']);
    expect(allowed((v) => canRevokeToken(v, own('editor')))).toEqual(['editor', 'admin']);
  });
});

describe('Policy', () => {
  const events: NewAuditEvent[] = [];
  const policy = new Policy(
    {
      appendAudit: async (e) => {
        events.push(e);
        return { ...e, id: events.length };
      },
    },
    () => new Date('2026-03-01T10:00:00Z'),
  );
  const req = { method: 'GET', path: '/api/v1/users', ip: '192.0.2.7' };

  it('answers the public 401 and records nothing', async () => {
    await expect(policy.requireAdminUsers(VIEWERS.public, 'users', req)).rejects.toMatchObject({
      code: 'BIMO_E_UNAUTHENTICATED',
    });
    expect(events).toEqual([]);
  });

  it('answers a signed-in user 403 and records the refusal', async () => {
    await expect(policy.requireAuditRead(VIEWERS.member, req)).rejects.toMatchObject({
      code: 'BIMO_E_FORBIDDEN',
      message: 'only an admin reads the audit log',
    });
    await expect(
      policy.requireImport(VIEWERS.editor, ['05366'], registry, { ...req, method: 'POST' }),
    ).rejects.toMatchObject({ code: 'BIMO_E_FORBIDDEN' });
    await expect(policy.requirePublish(VIEWERS.editor, 4, req)).rejects.toThrow();
    await expect(policy.requireApprove(VIEWERS.member, 4, req)).rejects.toThrow();
    expect(events.map((e) => [e.actor, e.action, e.target, e.outcome, e.details.decision])).toEqual(
      [
        ['member@kreis-dueren.de', DENIED_ACTION, 'audit', 'denied', 'readAudit'],
        ['editor@kreis-dueren.de', DENIED_ACTION, '05366', 'denied', 'import'],
        ['editor@kreis-dueren.de', DENIED_ACTION, 'release 4', 'denied', 'publish'],
        ['member@kreis-dueren.de', DENIED_ACTION, 'release 4', 'denied', 'approve'],
      ],
    );
    expect(events[0]).toMatchObject({
      at: '2026-03-01T10:00:00.000Z',
      ip: '192.0.2.7',
      details: { role: 'member', via: 'session', method: 'GET', path: '/api/v1/users' },
    });
  });

  it('lets allowed decisions through without a record', async () => {
    const before = events.length;
    await policy.requireAdminUsers(VIEWERS.admin, 'users', req);
    await policy.requireImport(VIEWERS.editor, ['05358008'], registry, req);
    await policy.requireSignedIn(VIEWERS.member, req);
    await policy.requireCreateToken(VIEWERS.member, req);
    expect(events.length).toBe(before);
  });

  it('hides other people’s tokens behind 404 but records the attempt', async () => {
    const before = events.length;
    const token: ApiToken = {
      id: 't1',
      userId: 'id-admin',
      name: 'x',
      createdAt: '',
      lastUsedAt: null,
      revokedAt: null,
    };
    await expect(policy.requireRevokeToken(VIEWERS.member, token, 't1', req)).rejects.toMatchObject(
      { code: 'BIMO_E_NOT_FOUND' },
    );
    await expect(
      policy.requireRevokeToken(VIEWERS.member, undefined, 't2', req),
    ).rejects.toMatchObject({ code: 'BIMO_E_NOT_FOUND' });
    expect(await policy.requireRevokeToken(VIEWERS.admin, token, 't1', req)).toBe(token);
    expect(events.slice(before).map((e) => e.details.decision)).toEqual(['revokeToken']);
    await expect(
      policy.requireCreateToken(userViewer(user('member'), 'token'), req),
    ).rejects.toMatchObject({ code: 'BIMO_E_FORBIDDEN', message: /cannot create API tokens/ });
  });
});
