/**
 * `bimo releases [list | diff A B | approve N | publish N]`: the release workflow on the command
 * line. Publishing recomputes the indicators so that portal and API show the new numbers; an
 * approval or publication is an audit event, as over HTTP.
 */
import { auditEvent } from '../../auth/index.ts';
import { BimoError } from '../../domain/index.ts';
import { advanceRelease, diffReleases } from '../../ingest/index.ts';
import type { Store } from '../../store/index.ts';
import type { Io } from '../context.ts';
import { computeCommand } from './data.ts';
import { cliActor } from './users.ts';

function releaseId(raw: string | undefined): number {
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n < 1) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `"${raw ?? ''}" is not a release number`,
      '`bimo releases` lists the release numbers.',
      { field: 'release' },
    );
  }
  return n;
}

export async function releasesCommand(
  store: Store,
  io: Io,
  args: string[],
  json: boolean,
): Promise<number> {
  const [sub = 'list', a, b] = args;
  switch (sub) {
    case 'list': {
      const list = await store.listReleases();
      if (json) io.out(JSON.stringify(list, null, 2));
      else
        for (const r of list)
          io.out(`${r.id}\t${r.status}\t${r.createdAt}\t${r.createdBy}\t${r.note}`);
      return 0;
    }
    case 'diff': {
      const changes = await diffReleases(store, releaseId(a), releaseId(b));
      if (json) io.out(JSON.stringify(changes, null, 2));
      else {
        const fmt = (c: { value: number | null; flag: string | null } | null): string =>
          c === null ? '—' : `${c.value ?? ''}${c.flag ? ` (${c.flag})` : ''}`;
        for (const c of changes)
          io.out(
            `${c.change}\t${c.variable}\t${c.region}\t${c.period}\t${c.dims}\t${fmt(c.before)} → ${fmt(c.after)}`,
          );
        io.log(`${changes.length} cell(s) differ between release ${a} and release ${b}`);
      }
      return 0;
    }
    case 'approve':
    case 'publish': {
      const id = releaseId(a);
      // The same audit event as the API writes, with the terminal's user as the actor.
      const event = auditEvent(
        new Date(),
        cliActor(io),
        sub === 'approve' ? 'release.approve' : 'release.publish',
        `release ${id}`,
        'ok',
        { from: (await store.getRelease(id))?.status ?? null },
      );
      const r = await advanceRelease(
        store,
        id,
        sub === 'approve' ? 'approved' : 'published',
        'cli',
        event,
      );
      io.out(`release ${r.id}: ${r.status}`);
      if (r.status === 'published') await computeCommand(store, io);
      return 0;
    }
    default:
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        `unknown releases command "${sub}"`,
        'Use: bimo releases [list | diff A B | approve N | publish N]',
      );
  }
}
