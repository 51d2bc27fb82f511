/**
 * The policy's decisions on uploaded files (POST /api/v1/imports and the routes of one upload):
 * who may upload at all, whose uploads a viewer sees, and that someone else's upload answers 404
 * while the attempt is recorded.
 */
import { describe, expect, it } from 'vitest';
import type { NewAuditEvent, User } from '../store/index.ts';
import { canSeeUpload, canUpload, PUBLIC_VIEWER, userViewer, type Viewer } from './policy.ts';
import { Policy } from './policy-enforce.ts';

function user(role: User['role'], email = `${role}@kreis-dueren.de`, disabled = false): User {
  return {
    id: `id-${email}`,
    email,
    name: role,
    role,
    regions: role === 'editor' ? ['05358'] : [],
    disabled,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const VIEWERS: Record<string, Viewer> = {
  public: PUBLIC_VIEWER,
  member: userViewer(user('member'), 'token'),
  editor: userViewer(user('editor'), 'token'),
  otherEditor: userViewer(user('editor', 'euskirchen@kreis-euskirchen.de'), 'session'),
  admin: userViewer(user('admin'), 'session'),
  disabledEditor: userViewer(user('editor', 'editor@kreis-dueren.de', true), 'token'),
};
const allowed = (decide: (v: Viewer) => boolean) =>
  Object.entries(VIEWERS)
    .filter(([, v]) => decide(v))
    .map(([who]) => who);

describe('upload decisions', () => {
  it('lets editors and admins upload, nobody else', () => {
    expect(allowed(canUpload)).toEqual(['editor', 'otherEditor', 'admin']);
  });

  it('shows an upload to its uploader and to admins', () => {
    const upload = { uploadedBy: 'editor@kreis-dueren.de' };
    expect(allowed((v) => canSeeUpload(v, upload))).toEqual(['editor', 'admin']);
  });

  it('answers another editor’s upload with 404 and records the attempt; the public gets 401', async () => {
    const events: NewAuditEvent[] = [];
    const policy = new Policy({
      appendAudit: async (e) => {
        events.push(e);
        return { ...e, id: events.length };
      },
    });
    const req = { method: 'GET', path: '/api/v1/imports/7', ip: null };
    const upload = { uploadedBy: 'editor@kreis-dueren.de' };
    expect(await policy.requireUploadAccess(VIEWERS.editor as Viewer, upload, 7, req)).toBe(upload);
    expect(await policy.requireUploadAccess(VIEWERS.admin as Viewer, upload, 7, req)).toBe(upload);
    expect(events).toEqual([]);
    await expect(
      policy.requireUploadAccess(VIEWERS.otherEditor as Viewer, upload, 7, req),
    ).rejects.toMatchObject({ code: 'BIMO_E_NOT_FOUND' });
    await expect(
      policy.requireUploadAccess(VIEWERS.editor as Viewer, null, 8, req),
    ).rejects.toMatchObject({ code: 'BIMO_E_NOT_FOUND' });
    await expect(
      policy.requireUploadAccess(VIEWERS.member as Viewer, upload, 7, req),
    ).rejects.toMatchObject({
      code: 'BIMO_E_FORBIDDEN',
      message: 'only editors and admins import data',
    });
    await expect(
      policy.requireUploadAccess(VIEWERS.public as Viewer, upload, 7, req),
    ).rejects.toMatchObject({ code: 'BIMO_E_UNAUTHENTICATED' });
    expect(events.map((e) => [e.actor, e.target, e.details.decision])).toEqual([
      ['euskirchen@kreis-euskirchen.de', 'import 7', 'ownUpload'],
      ['member@kreis-dueren.de', 'imports', 'upload'],
    ]);
  });
});
